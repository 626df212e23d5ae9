package dev.vsock.boot.grpc;

import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

import dev.vsock.boot.web.VsockPortInfoApplicationListener;

/**
 * Publishes the port the gRPC server's vsock listener bound as
 * {@code local.grpc.server.vsock.port}, from the event Spring gRPC sends when a server starts.
 */
public class VsockGrpcPortInfoApplicationListener implements ApplicationListener<GrpcServerStartedEvent> {

	/** The property that holds the port. */
	public static final String PROPERTY = "local.grpc.server.vsock.port";

	private final ConfigurableApplicationContext context;

	/**
	 * Creates the listener.
	 * @param context the context whose environment gets the property
	 */
	public VsockGrpcPortInfoApplicationListener(ConfigurableApplicationContext context) {
		this.context = context;
	}

	@Override
	public void onApplicationEvent(GrpcServerStartedEvent event) {
		if (event.getSource() instanceof VsockGrpcServerLifecycle lifecycle
				&& lifecycle.getFactory().getVsockListener().isListening()) {
			VsockPortInfoApplicationListener.setPortProperty(this.context.getEnvironment(), PROPERTY,
					lifecycle.getFactory().getVsockListener().address().port());
		}
	}

}
