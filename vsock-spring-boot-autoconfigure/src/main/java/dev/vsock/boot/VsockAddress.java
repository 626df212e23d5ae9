package dev.vsock.boot;

import java.io.Serial;
import java.net.SocketAddress;
import java.util.Locale;

import io.netty.channel.epoll.VSockAddress;

/**
 * An AF_VSOCK address: a context id (CID) and a port, both unsigned 32-bit and held as {@code long}.
 *
 * <p>Printed and parsed as {@code vsock://<cid>:<port>}, where the CID may also be one of the names
 * {@code any} ({@value #CID_ANY}), {@code hypervisor} (0), {@code local} (1) and {@code host} (2).
 * Port 0 means "any free port" (the kernel's {@code VMADDR_PORT_ANY}), as with {@code server.port=0}.
 */
public final class VsockAddress extends SocketAddress {

	@Serial
	private static final long serialVersionUID = 1L;

	/** Largest CID or port: both are unsigned 32-bit. */
	public static final long MAX_VALUE = 0xFFFF_FFFFL;

	/** {@code VMADDR_CID_ANY}: bind to every local CID. */
	public static final long CID_ANY = MAX_VALUE;

	/** {@code VMADDR_CID_HYPERVISOR}. */
	public static final long CID_HYPERVISOR = 0;

	/** {@code VMADDR_CID_LOCAL}: this machine, through the {@code vsock_loopback} transport. */
	public static final long CID_LOCAL = 1;

	/** {@code VMADDR_CID_HOST}: the host of this guest (G2H), or this host when it has guests (H2G). */
	public static final long CID_HOST = 2;

	/** {@code VMADDR_PORT_ANY}: let the kernel pick a free port. */
	public static final long PORT_ANY = MAX_VALUE;

	private static final String SCHEME = "vsock://";

	private final long cid;

	private final long port;

	private VsockAddress(long cid, long port) {
		this.cid = cid;
		this.port = port;
	}

	/**
	 * Returns the address of a CID and a port; port 0 stands for {@link #PORT_ANY}.
	 * @param cid the context id, 0 to {@value #MAX_VALUE}
	 * @param port the port, 0 to {@value #MAX_VALUE}
	 * @return the address
	 * @throws IllegalArgumentException if either value is out of range
	 */
	public static VsockAddress of(long cid, long port) {
		checkRange("CID", cid);
		checkRange("port", port);
		return new VsockAddress(cid, (port == 0) ? PORT_ANY : port);
	}

	/**
	 * Returns the address held in Netty's {@link VSockAddress}, whose signed {@code int}s are read
	 * as unsigned.
	 * @param address Netty's address
	 * @return the address
	 */
	public static VsockAddress of(VSockAddress address) {
		return new VsockAddress(Integer.toUnsignedLong(address.getCid()),
				Integer.toUnsignedLong(address.getPort()));
	}

	/**
	 * Parses {@code vsock://<cid>:<port>} or {@code <cid>:<port>}.
	 * @param text the text to parse
	 * @return the address
	 * @throws IllegalArgumentException naming the text and what was expected
	 */
	public static VsockAddress parse(String text) {
		String value = text.strip();
		if (value.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
			value = value.substring(SCHEME.length());
		}
		int colon = value.lastIndexOf(':');
		if (colon <= 0 || colon == value.length() - 1) {
			throw new IllegalArgumentException("Invalid vsock address '" + text
					+ "': expected vsock://<cid>:<port>, for example vsock://any:1234 or vsock://3:8080");
		}
		return of(parseCid(value.substring(0, colon)), parsePort(value.substring(colon + 1)));
	}

	/**
	 * Parses a CID: a number from 0 to {@value #MAX_VALUE}, {@code -1} for any, or one of the names
	 * {@code any}, {@code hypervisor}, {@code local}, {@code host}.
	 * @param text the text to parse
	 * @return the CID
	 * @throws IllegalArgumentException naming the text and what was expected
	 */
	public static long parseCid(String text) {
		String value = text.strip().toLowerCase(Locale.ROOT);
		return switch (value) {
			case "any", "-1" -> CID_ANY;
			case "hypervisor" -> CID_HYPERVISOR;
			case "local" -> CID_LOCAL;
			case "host" -> CID_HOST;
			default -> parseNumber("CID", text, "or one of any, hypervisor, local, host");
		};
	}

	/**
	 * Parses a port: a number from 0 (any free port) to {@value #MAX_VALUE}, or {@code any}.
	 * @param text the text to parse
	 * @return the port, with 0 and {@code any} as {@link #PORT_ANY}
	 * @throws IllegalArgumentException naming the text and what was expected
	 */
	public static long parsePort(String text) {
		String value = text.strip().toLowerCase(Locale.ROOT);
		if (value.equals("any") || value.equals("-1")) {
			return PORT_ANY;
		}
		long port = parseNumber("port", text, "(0 picks a free port)");
		return (port == 0) ? PORT_ANY : port;
	}

	private static long parseNumber(String what, String text, String alternatives) {
		try {
			long value = Long.parseLong(text.strip());
			checkRange(what, value);
			return value;
		}
		catch (NumberFormatException ex) {
			// Not chained: Spring Boot's failure report gives the root cause as the reason, and
			// "For input string" would hide the value's name and what to write instead.
			throw new IllegalArgumentException(outOfRange(what, text) + " " + alternatives);
		}
	}

	private static void checkRange(String what, long value) {
		if (value < 0 || value > MAX_VALUE) {
			throw new IllegalArgumentException(outOfRange(what, Long.toString(value)));
		}
	}

	private static String outOfRange(String what, String text) {
		return "Invalid vsock " + what + " '" + text + "': expected a number from 0 to " + MAX_VALUE;
	}

	/**
	 * Returns the context id.
	 * @return the CID, 0 to {@value #MAX_VALUE}
	 */
	public long cid() {
		return this.cid;
	}

	/**
	 * Returns the port.
	 * @return the port, 1 to {@value #MAX_VALUE}, or {@link #PORT_ANY}
	 */
	public long port() {
		return this.port;
	}

	/**
	 * Returns whether this address names every local CID.
	 * @return whether the CID is {@link #CID_ANY}
	 */
	public boolean isAnyCid() {
		return this.cid == CID_ANY;
	}

	/**
	 * Returns whether this address leaves the port to the kernel.
	 * @return whether the port is {@link #PORT_ANY}
	 */
	public boolean isAnyPort() {
		return this.port == PORT_ANY;
	}

	/**
	 * Returns this address as Netty's {@link VSockAddress}, whose fields are signed {@code int}s.
	 * @return Netty's address
	 */
	public VSockAddress toNetty() {
		return new VSockAddress((int) this.cid, (int) this.port);
	}

	/**
	 * Returns the CID as it is printed: a name for any, local and host, else the number.
	 * @return the printed CID
	 */
	public String cidText() {
		if (this.cid == CID_ANY) {
			return "any";
		}
		if (this.cid == CID_LOCAL) {
			return "local";
		}
		if (this.cid == CID_HOST) {
			return "host";
		}
		return Long.toString(this.cid);
	}

	@Override
	public boolean equals(Object obj) {
		return (obj instanceof VsockAddress other) && this.cid == other.cid && this.port == other.port;
	}

	@Override
	public int hashCode() {
		return Long.hashCode((this.cid << 32) | this.port);
	}

	@Override
	public String toString() {
		return SCHEME + cidText() + ":" + (isAnyPort() ? "any" : Long.toString(this.port));
	}

}
