package dev.vsock.boot;

/**
 * Thrown at start-up when {@code spring.grpc.server.vsock.port} is set but grpc-java's unshaded
 * Netty transport ({@code io.grpc:grpc-netty}) is missing, so that the setting is never ignored
 * silently: the shaded transport ({@code grpc-netty-shaded}) relocates Netty's classes and cannot
 * take this project's vsock channels.
 */
public class VsockGrpcTransportMissingException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final boolean shaded;

	/**
	 * Creates the exception.
	 * @param shaded whether the shaded transport is there instead
	 */
	public VsockGrpcTransportMissingException(boolean shaded) {
		super("spring.grpc.server.vsock.port is set, but io.grpc:grpc-netty is not on the classpath"
				+ (shaded ? " (only io.grpc:grpc-netty-shaded, whose relocated Netty cannot take vsock channels)" : ""));
		this.shaded = shaded;
	}

	/**
	 * Returns whether the shaded transport is on the classpath instead.
	 * @return whether grpc-netty-shaded is there
	 */
	public boolean isShaded() {
		return this.shaded;
	}

}
