package dev.vsock.boot.systemd;

/**
 * Switches an inherited socket to non-blocking mode, which the servers' event loops need. Java
 * before 22 has no way to call {@code fcntl} without native code of our own, so this version
 * cannot; the Java 22+ version of this class, in the multi-release jar, calls it through the FFM
 * API. systemd passes sockets non-blocking when the service says {@code NonBlocking=yes}.
 */
final class NonBlockingMode {

	private NonBlockingMode() {
	}

	/**
	 * Sets {@code O_NONBLOCK} on a file descriptor.
	 * @param fd the file descriptor
	 * @return whether it was set: never, on this Java version
	 */
	static boolean set(int fd) {
		return false;
	}

}
