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

		/**
		 * The bind was refused ({@code EACCES}, {@code EPERM}): below port 1024 because the process
		 * lacks {@code CAP_NET_BIND_SERVICE}, from 1024 up by a security policy of the machine.
		 */
		PERMISSION,

		/** The CID is not one of this machine's ({@code EADDRNOTAVAIL}). */
		ADDRESS_NOT_AVAILABLE,

		/** The kernel has no AF_VSOCK ({@code EAFNOSUPPORT}). */
		NOT_SUPPORTED,

		/** Any other error. */
		OTHER

	}

	private final VsockAddress address;

	private final Reason reason;

	/**
	 * Creates an exception for an address that could not be bound.
	 * @param address the address
	 * @param reason why
	 * @param cause the native error
	 */
	public VsockBindException(VsockAddress address, Reason reason, Throwable cause) {
		super(cause);
		this.address = address;
		this.reason = reason;
	}

	@Override
	public String getMessage() {
		return getProblem() + ": " + getAction();
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

	/**
	 * Returns what went wrong, naming the address.
	 * @return the problem
	 */
	public String getProblem() {
		return switch (this.reason) {
			case IN_USE -> "Vsock port " + this.address.port() + " (" + this.address + ") is already in use";
			case PERMISSION -> isPrivilegedPort() ? "Vsock port " + this.address.port() + " (" + this.address
					+ ") needs privileges: ports below 1024 need CAP_NET_BIND_SERVICE"
					: "Vsock port " + this.address.port() + " (" + this.address + ") is not permitted: not for its"
							+ " number, which is from 1024 up, but by a security policy of this machine (an LSM such"
							+ " as SELinux or AppArmor, seccomp, or a cgroup BPF program)";
			case ADDRESS_NOT_AVAILABLE -> "Vsock CID " + this.address.cid() + " (" + this.address
					+ ") is not a CID of this machine, or its transport is missing";
			case NOT_SUPPORTED -> "The kernel has no AF_VSOCK support, so " + this.address + " cannot be bound";
			case OTHER -> "Cannot bind " + this.address + ": " + getCause().getMessage();
		};
	}

	private boolean isPrivilegedPort() {
		return this.address.port() < 1024;
	}

	/**
	 * Returns what a person can do about it, for the application server's listener
	 * ({@code server.vsock.*}).
	 * @return the action
	 */
	public String getAction() {
		return getAction("server.vsock");
	}

	/**
	 * Returns what a person can do about it, naming the properties of the listener that failed.
	 * @param prefix the prefix of the listener's properties, for example {@code server.vsock} or
	 * {@code management.server.vsock}
	 * @return the action
	 */
	public String getAction(String prefix) {
		return switch (this.reason) {
			case IN_USE -> "Stop the process that listens on vsock port " + this.address.port() + ", or set " + prefix
					+ ".port to another port (0 picks a free one)";
			case PERMISSION -> isPrivilegedPort() ? "Use a port from 1024 up, or grant the process CAP_NET_BIND_SERVICE"
					: "Set " + prefix + ".port to another port, or allow this one in the machine's policy";
			case ADDRESS_NOT_AVAILABLE -> "Set " + prefix + ".cid to 'any' or to this machine's CID"
					+ " (CID 1 needs the vsock_loopback module)";
			case NOT_SUPPORTED -> "Load the vsock module and a transport: vmw_vsock_virtio_transport in a guest,"
					+ " vhost_vsock on a host, vsock_loopback for CID 1";
			case OTHER -> "Check that " + this.address + " is a valid vsock address for this machine";
		};
	}

}
