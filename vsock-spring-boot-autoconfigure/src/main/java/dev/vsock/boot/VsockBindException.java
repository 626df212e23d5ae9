package dev.vsock.boot;

import java.io.IOException;

/**
 * Thrown when a vsock listener cannot bind its address, with the reason in terms a person can act on.
 *
 * <p>Deliberately not a {@link java.net.BindException}: Spring Boot turns those into a
 * {@code PortInUseException} that names the TCP port, which would mislead for a vsock port.
 */
public class VsockBindException extends IOException {

	private static final long serialVersionUID = 1L;

	/**
	 * Why a bind failed.
	 */
	public enum Reason {

		/** Another socket is bound to the port ({@code EADDRINUSE}). */
		IN_USE,

		/** The port is below 1024 and the process lacks {@code CAP_NET_BIND_SERVICE}. */
		PERMISSION,

		/** The CID is not one of this machine's ({@code EADDRNOTAVAIL}). */
		ADDRESS_NOT_AVAILABLE,

		/** The kernel has no AF_VSOCK ({@code EAFNOSUPPORT}). */
		NOT_SUPPORTED,

		/** Any other error. */
		OTHER

	}

	private final transient VsockAddress address;

	private final Reason reason;

	/**
	 * Creates an exception for an address that could not be bound.
	 * @param address the address
	 * @param reason why
	 * @param cause the native error
	 */
	public VsockBindException(VsockAddress address, Reason reason, Throwable cause) {
		super(describe(address, reason, cause), cause);
		this.address = address;
		this.reason = reason;
	}

	/**
	 * Returns the address that could not be bound.
	 * @return the address
	 */
	public VsockAddress getAddress() {
		return this.address;
	}

	/**
	 * Returns why the bind failed.
	 * @return the reason
	 */
	public Reason getReason() {
		return this.reason;
	}

	/**
	 * Returns the reason for a bind error number.
	 * @param errno the positive error number of {@code bind(2)} or {@code socket(2)}
	 * @return the reason
	 */
	public static Reason reasonOf(int errno) {
		return switch (errno) {
			case 98 -> Reason.IN_USE;
			case 1, 13 -> Reason.PERMISSION;
			case 99 -> Reason.ADDRESS_NOT_AVAILABLE;
			case 97 -> Reason.NOT_SUPPORTED;
			default -> Reason.OTHER;
		};
	}

	private static String describe(VsockAddress address, Reason reason, Throwable cause) {
		return switch (reason) {
			case IN_USE -> "Vsock port " + address.port() + " (" + address
					+ ") is already in use: stop the process that listens on it, or set server.vsock.port to another port (0 picks a free one)";
			case PERMISSION -> "Vsock port " + address.port() + " (" + address
					+ ") needs privileges: ports below 1024 need CAP_NET_BIND_SERVICE; use a port from 1024 up or grant the capability";
			case ADDRESS_NOT_AVAILABLE -> "Vsock CID " + address.cid() + " (" + address
					+ ") is not a CID of this machine, or its transport is missing (CID 1 needs the vsock_loopback module): bind to 'any' or to this machine's CID";
			case NOT_SUPPORTED -> "The kernel has no AF_VSOCK support, so " + address
					+ " cannot be bound: load the vsock module and a transport (vmw_vsock_virtio_transport in a guest, vhost_vsock on a host, vsock_loopback for CID 1)";
			case OTHER -> "Cannot bind " + address + ": " + cause.getMessage();
		};
	}

}
