package dev.vsock.boot.autoconfigure.web;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import dev.vsock.boot.web.VsockListeners;

/**
 * Gives the separate management server a vsock listener ({@code management.server.vsock.port});
 * Spring Boot creates its factory from the application's factory class, which is a
 * {@link VsockWebServerFactory} whenever a vsock port is set.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "management.server.vsock", name = "port")
@ConditionalOnVsockOrNoFallback(tcpPort = "management.server.port", defaultTcpPort = -1)
@EnableConfigurationProperties(VsockManagementServerProperties.class)
class VsockManagementChildContextConfiguration {

	@Bean
	VsockWebServerFactoryCustomizer vsockManagementServerCustomizer(VsockManagementServerProperties management,
			VsockServerProperties server, ObjectProvider<VsockListeners> listeners) {
		return VsockWebServerFactoryCustomizer.forManagement(management, server,
				listeners.getIfAvailable(() -> new VsockListeners()));
	}

}
