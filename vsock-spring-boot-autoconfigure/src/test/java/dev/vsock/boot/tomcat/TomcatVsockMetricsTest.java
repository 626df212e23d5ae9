package dev.vsock.boot.tomcat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The vsock connector in the metrics of a Spring MVC application: Tomcat's own meters (with
 * {@code server.tomcat.mbeanregistry.enabled=true}) name its thread pool, and the vsock meters
 * carry its port. Runs on the build machine: the listener binds, nothing connects.
 */
class TomcatVsockMetricsTest {

	@Test
	void tomcatsMetersIncludeTheVsockConnectorAndTheVsockMetersItsPort() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TomcatVsockApplication.class)
			.web(WebApplicationType.SERVLET)
			.properties("server.port=0", "server.vsock.port=0", "server.tomcat.mbeanregistry.enabled=true")
			.run()) {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			String port = context.getEnvironment().getRequiredProperty("local.vsock.port");
			assertThat(registry.find("tomcat.threads.config.max").meters()).extracting((meter) -> meter.getId().getTag("name"))
				.anySatisfy((name) -> assertThat(name).startsWith("http-vsock-"));
			assertThat(registry.find("vsock.connections.active").tag("server", "tomcat").tag("port", port).meter())
				.isNotNull();
			assertThat(registry.find("vsock.transport.available").meters()).extracting(Meter::getId)
				.extracting((id) -> id.getTag("transport"))
				.containsExactlyInAnyOrder("g2h", "h2g", "loopback");
		}
	}

}
