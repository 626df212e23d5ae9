package dev.vsock.boot.metrics;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Binds {@link VsockMetrics} once the application has started, when the web server listens and
 * its vsock listeners know their ports, as Spring Boot binds Tomcat's metrics.
 */
public class VsockMetricsBinder implements ApplicationListener<ApplicationStartedEvent> {

	private final MeterRegistry registry;

	private final VsockMetrics metrics;

	/**
	 * Creates the binder.
	 * @param registry the registry to bind to
	 * @param metrics the meters to bind
	 */
	public VsockMetricsBinder(MeterRegistry registry, VsockMetrics metrics) {
		this.registry = registry;
		this.metrics = metrics;
	}

	@Override
	public void onApplicationEvent(ApplicationStartedEvent event) {
		this.metrics.bindTo(this.registry);
	}

}
