package dev.vsock.boot.autoconfigure.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import dev.vsock.boot.systemd.InheritedSockets;
import dev.vsock.boot.transport.VsockTransports;
import dev.vsock.boot.web.VsockListeners;
import dev.vsock.boot.web.VsockPortInfoApplicationListener;
import dev.vsock.boot.web.VsockStartupSummary;

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
	VsockListeners vsockListeners(VsockServerProperties properties, Environment environment) {
		return new VsockListeners(InheritedSockets.from(environment, properties.isSocketActivation()));
	}

	@Bean
	static VsockPortInfoApplicationListener vsockPortInfoApplicationListener() {
		return new VsockPortInfoApplicationListener();
	}

	@Bean
	@ConditionalOnVsockWebServer
	VsockStartupSummary vsockStartupSummary(VsockListeners listeners) {
		return new VsockStartupSummary(VsockTransports::detect, listeners);
	}

	/**
	 * Applies {@code server.vsock.*} to the application's web server factory; fails the start-up
	 * when vsock is switched on for a web server that cannot serve it (Jetty, Tomcat under
	 * WebFlux, a factory of the user's own), rather than ignoring the setting.
	 */
	@Bean
	@ConditionalOnVsockListener
	@ConditionalOnVsockOrNoFallback(tcpPort = "server.port", defaultTcpPort = 8080)
	VsockWebServerFactoryCustomizer vsockWebServerFactoryCustomizer(VsockServerProperties properties,
			VsockListeners listeners) {
		return VsockWebServerFactoryCustomizer.forServer(properties, listeners);
	}

}
