package dev.vsock.boot.transport;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A direction vsock traffic can take from this machine, each carried by its own kernel transport.
 */
public enum VsockTransport {

	/** Guest to host: this machine is a guest and reaches its host at CID 2. */
	G2H,

	/** Host to guest: this machine hosts guests and reaches them at their CIDs. */
	H2G,

	/** Local: this machine reaches itself at CID 1 ({@code vsock_loopback}). */
	LOOPBACK;

	/**
	 * Returns the lower-case id used in properties and meter tags: {@code g2h}, {@code h2g} or
	 * {@code loopback}.
	 * @return the id
	 */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Returns the transport of an id, in any case.
	 * @param id {@code g2h}, {@code h2g} or {@code loopback}
	 * @return the transport
	 * @throws IllegalArgumentException naming the id and the allowed ones
	 */
	public static VsockTransport fromId(String id) {
		for (VsockTransport transport : values()) {
			if (transport.id().equalsIgnoreCase(id.strip())) {
				return transport;
			}
		}
		throw new IllegalArgumentException("Invalid vsock transport '" + id + "': expected one of "
				+ Arrays.stream(values()).map(VsockTransport::id).collect(Collectors.joining(", ")));
	}

}
