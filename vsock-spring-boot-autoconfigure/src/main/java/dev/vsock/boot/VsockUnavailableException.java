package dev.vsock.boot;

/**
 * Thrown when no AF_VSOCK socket can be opened at all: Netty's epoll native library is missing for
 * this operating system or CPU, or the kernel has no AF_VSOCK.
 */
public class VsockUnavailableException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Why no vsock socket could be opened.
	 */
	public enum Reason {

		/** Netty's epoll native library could not be loaded. */
		NATIVE_LIBRARY_MISSING,

		/** The kernel refused to create an AF_VSOCK socket. */
		KERNEL_WITHOUT_VSOCK

	}

	private final Reason reason;

	/**
	 * Creates the exception.
	 * @param reason why
	 * @param cause the error of the native layer
	 */
	public VsockUnavailableException(Reason reason, Throwable cause) {
		super(null, cause);
		this.reason = reason;
	}

	/**
	 * Returns why no vsock socket could be opened.
	 * @return the reason
	 */
	public Reason getReason() {
		return this.reason;
	}

	@Override
	public String getMessage() {
		return getProblem() + ": " + getAction();
	}

	/**
	 * Returns what went wrong.
	 * @return the problem
	 */
	public String getProblem() {
		return switch (this.reason) {
			case NATIVE_LIBRARY_MISSING -> "Netty's epoll native library, which holds the AF_VSOCK calls, could not"
					+ " be loaded on " + System.getProperty("os.name") + " " + System.getProperty("os.arch") + " ("
					+ getCause().getMessage() + ")";
			case KERNEL_WITHOUT_VSOCK -> "The kernel cannot open an AF_VSOCK socket (" + getCause().getMessage() + ")";
		};
	}

	/**
	 * Returns what a person can do about it.
	 * @return the action
	 */
	public String getAction() {
		return switch (this.reason) {
			case NATIVE_LIBRARY_MISSING -> "Run on Linux x86_64 or aarch64 with vsock-spring-boot-starter on the class"
					+ " path (it brings io.netty:netty-transport-native-epoll for both CPUs); for another CPU add the"
					+ " netty-transport-native-epoll artifact with its classifier";
			case KERNEL_WITHOUT_VSOCK -> "Load the vsock module and a transport (modprobe vmw_vsock_virtio_transport"
					+ " in a guest, vhost_vsock on a host, vsock_loopback for CID 1); in a container, the host's kernel"
					+ " must offer vsock and the container must not filter AF_VSOCK sockets (seccomp)";
		};
	}

}
