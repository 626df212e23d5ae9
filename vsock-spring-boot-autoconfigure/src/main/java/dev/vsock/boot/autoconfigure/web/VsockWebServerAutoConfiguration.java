package dev.vsock.boot.autoconfigure.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.web.server.WebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.env.ConfigurableEnvironment;

import dev.vsock.boot.VsockServerNotSupportedException;
import dev.vsock.boot.transport.VsockTransports;
import dev.vsock.boot.web.VsockListeners;
import dev.vsock.boot.web.VsockStartupSummary;
import dev.vsock.boot.web.VsockWebServerFactory;

/**
 * Auto-configuration of what every vsock web server shares: the {@code server.vsock}
 * properties and the registry of listeners.
 */
@AutoConfiguration
@ConditionalOnWebApplication
@EnableConfigurationProperties(VsockServerProperties.class)
public final class VsockWebServerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	VsockListeners vsockListeners(ConfigurableEnvironment environment) {
		return new VsockListeners(environment);
	}

	@Bean
	@ConditionalOnVsockWebServer
	VsockStartupSummary vsockStartupSummary(VsockListeners listeners) {
		return new VsockStartupSummary(VsockTransports::detect, listeners);
	}

	/**
	 * Fails the start-up when vsock is switched on for a web server that cannot serve it (Jetty,
	 * Tomcat under WebFlux, a factory of the user's own), rather than ignoring the setting.
	 */
	@Bean
	@ConditionalOnVsockListener
	static WebServerFactoryCustomizer<WebServerFactory> vsockServerSupportCheck() {
		return (factory) -> {
			if (!(factory instanceof VsockWebServerFactory)) {
				throw new VsockServerNotSupportedException("server.vsock.port", factory.getClass().getName());
			}
		};
	}

}
