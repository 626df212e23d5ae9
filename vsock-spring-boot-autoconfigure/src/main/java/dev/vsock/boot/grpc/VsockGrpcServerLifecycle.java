package dev.vsock.boot.grpc;

import java.time.Duration;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;

/**
 * Starts and stops the gRPC server on vsock with the application, as Spring gRPC's lifecycle does
 * for the TCP server (a graceful shutdown lets in-flight calls finish within the grace period),
 * and closes its factory's event loops once the application is gone.
 */
public class VsockGrpcServerLifecycle extends GrpcServerLifecycle implements AutoCloseable {

	private final VsockGrpcServerFactory factory;

	/**
	 * Creates the lifecycle of a vsock server.
	 * @param factory the factory of the server
	 * @param shutdownGracePeriod how long a shutdown waits for in-flight calls
	 * @param eventPublisher where the server's started and stopped events go
	 */
	public VsockGrpcServerLifecycle(VsockGrpcServerFactory factory, Duration shutdownGracePeriod,
			ApplicationEventPublisher eventPublisher) {
		super(factory, shutdownGracePeriod, eventPublisher);
		this.factory = factory;
	}

	/**
	 * Returns the factory of the vsock server, which is also its listener.
	 * @return the factory
	 */
	@Override
	public VsockGrpcServerFactory getFactory() {
		return this.factory;
	}

	@Override
	public void close() {
		stop();
		this.factory.close();
	}

}
