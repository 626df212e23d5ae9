package dev.vsock.boot.systemd;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import dev.vsock.boot.VsockAddress;

/**
 * Where {@code NOTIFY_SOCKET} says a service's state goes, in the forms systemd's
 * {@code sd_notify} takes: a Unix datagram socket ({@code /run/systemd/notify}, or
 * {@code @name} in the abstract namespace), or a vsock address ({@code vsock-stream:CID:PORT},
 * and {@code vsock:CID:PORT}, which this end sends over a stream too), the way a guest tells the
 * VMM on its host that it is ready (systemd-vmspawn, Cloud Hypervisor and Firecracker setups pass
 * {@code vsock-stream:2:PORT}).
 */
public sealed interface NotifySocket {

	/** The environment variable that names the socket. */
	String ENVIRONMENT_VARIABLE = "NOTIFY_SOCKET";

	/** The longest path a Unix socket address holds ({@code sun_path}). */
	int MAX_UNIX_PATH = 108;

	/**
	 * Parses the value of {@code NOTIFY_SOCKET}.
	 * @param text the value
	 * @return where notifications go
	 * @throws IllegalArgumentException naming the value, what is wrong and what is expected
	 */
	static NotifySocket parse(String text) {
		if (text.startsWith("/") || text.startsWith("@")) {
			if (text.getBytes(StandardCharsets.UTF_8).length >= MAX_UNIX_PATH) {
				throw new IllegalArgumentException("Invalid NOTIFY_SOCKET '" + text + "': a Unix socket path holds at most "
						+ (MAX_UNIX_PATH - 1) + " bytes");
			}
			return new Unix(text);
		}
		String lower = text.toLowerCase(Locale.ROOT);
		String rest;
		if (lower.startsWith("vsock-stream:")) {
			rest = text.substring("vsock-stream:".length());
		}
		else if (lower.startsWith("vsock:")) {
			rest = text.substring("vsock:".length());
		}
		else if (lower.startsWith("vsock-dgram:") || lower.startsWith("vsock-seqpacket:")) {
			throw new IllegalArgumentException("Unsupported NOTIFY_SOCKET '" + text
					+ "': the JVM opens vsock stream sockets only; have the receiver listen on a stream socket"
					+ " and pass vsock-stream:CID:PORT");
		}
		else {
			throw new IllegalArgumentException("Invalid NOTIFY_SOCKET '" + text
					+ "': expected an absolute Unix socket path, @name (abstract), or vsock-stream:CID:PORT");
		}
		int colon = rest.indexOf(':');
		if (colon <= 0 || colon == rest.length() - 1) {
			throw new IllegalArgumentException("Invalid NOTIFY_SOCKET '" + text
					+ "': expected vsock-stream:CID:PORT, for example vsock-stream:2:8888");
		}
		try {
			VsockAddress address = VsockAddress.of(VsockAddress.parseCid(rest.substring(0, colon)),
					VsockAddress.parsePort(rest.substring(colon + 1)));
			if (address.isAnyCid() || address.isAnyPort()) {
				throw new IllegalArgumentException("the CID and the port of the receiver are needed");
			}
			return new Vsock(text, address);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("Invalid NOTIFY_SOCKET '" + text + "': " + ex.getMessage(), ex);
		}
	}

	/**
	 * Returns the value it was parsed from.
	 * @return the value of {@code NOTIFY_SOCKET}
	 */
	String text();

	/**
	 * A Unix datagram socket, by path or in the abstract namespace ({@code @name}).
	 *
	 * @param text the value of {@code NOTIFY_SOCKET}
	 */
	record Unix(String text) implements NotifySocket {

		/**
		 * Returns the address as the kernel takes it ({@code sun_path}): the path, or for the
		 * abstract namespace the name after a NUL byte, not terminated.
		 * @return the bytes of the address
		 */
		public byte[] path() {
			byte[] path = this.text.getBytes(StandardCharsets.UTF_8);
			if (path[0] == '@') {
				path[0] = 0;
			}
			return path;
		}

		@Override
		public String toString() {
			return this.text;
		}

	}

	/**
	 * A vsock stream socket: one connection per message, closed once it is written.
	 *
	 * @param text the value of {@code NOTIFY_SOCKET}
	 * @param address the receiver's address
	 */
	record Vsock(String text, VsockAddress address) implements NotifySocket {

		@Override
		public String toString() {
			return this.text;
		}

	}

}
