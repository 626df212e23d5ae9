package dev.vsock.boot.autoconfigure.health;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.context.annotation.Bean;

import dev.vsock.boot.autoconfigure.grpc.VsockGrpcServerAutoConfiguration;
import dev.vsock.boot.autoconfigure.web.VsockServerProperties;
import dev.vsock.boot.autoconfigure.web.VsockWebServerAutoConfiguration;
import dev.vsock.boot.autoconfigure.web.VsockWebServerFactoryCustomizer;
import dev.vsock.boot.health.VsockHealthIndicator;
import dev.vsock.boot.transport.VsockTransports;
import dev.vsock.boot.web.VsockListeners;

/**
 * Auto-configuration of the {@code vsock} health component, switched off with
 * {@code management.health.vsock.enabled=false}.
 */
@AutoConfiguration(after = { VsockWebServerAutoConfiguration.class, VsockGrpcServerAutoConfiguration.class })
@ConditionalOnClass(AbstractHealthIndicator.class)
@ConditionalOnBean(VsockListeners.class)
@ConditionalOnEnabledHealthIndicator("vsock")
public final class VsockHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "vsockHealthIndicator")
	VsockHealthIndicator vsockHealthIndicator(VsockListeners listeners, VsockServerProperties properties,
			ObjectProvider<VsockWebServerFactoryCustomizer> listenerCustomizer) {
		// A listener is expected when the web server was given one: not when it fell back to TCP.
		boolean listenerExpected = properties.isListening() && listenerCustomizer.getIfAvailable() != null;
		return new VsockHealthIndicator(VsockTransports::detect, listeners, listenerExpected,
				properties.getRequiredTransports());
	}

}
