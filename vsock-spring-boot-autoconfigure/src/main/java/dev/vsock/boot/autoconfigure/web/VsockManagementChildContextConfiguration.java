package dev.vsock.boot.autoconfigure.web;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.WebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;

import dev.vsock.boot.VsockServerNotSupportedException;
import dev.vsock.boot.web.VsockListeners;
import dev.vsock.boot.web.VsockWebServerFactory;

/**
 * Gives the separate management server a vsock listener ({@code management.server.vsock.port});
 * Spring Boot creates its factory from the application's factory class, which is a
 * {@link VsockWebServerFactory} whenever a vsock port is set.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "management.server.vsock", name = "port")
@EnableConfigurationProperties(VsockManagementServerProperties.class)
class VsockManagementChildContextConfiguration {

	@Bean
	WebServerFactoryCustomizer<WebServerFactory> vsockManagementServerCustomizer(
			VsockManagementServerProperties properties, ObjectProvider<VsockListeners> listeners) {
		return (factory) -> {
			if (!(factory instanceof VsockWebServerFactory vsock)) {
				throw new VsockServerNotSupportedException("management.server.vsock.port",
						factory.getClass().getName());
			}
			vsock.setVsockAddress(properties.toAddress());
			vsock.setVsockListeners(listeners.getIfAvailable(() -> new VsockListeners(null)), "management");
		};
	}

}
