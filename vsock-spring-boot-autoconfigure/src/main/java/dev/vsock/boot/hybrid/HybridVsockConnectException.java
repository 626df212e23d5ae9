package dev.vsock.boot.hybrid;

import java.io.IOException;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when the hybrid vsock handshake ({@code CONNECT <port>} / {@code OK <port>}) with a VMM's
 * Unix socket fails: nothing listens on the guest port, the answer is not {@code OK <port>}, or no
 * answer comes in time.
 */
public class HybridVsockConnectException extends IOException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception with a message that says what failed and what to check.
	 * @param message the message
	 */
	public HybridVsockConnectException(String message) {
		super(message);
	}

	/**
	 * Creates an exception with a message and its cause.
	 * @param message the message
	 * @param cause the cause
	 */
	public HybridVsockConnectException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
