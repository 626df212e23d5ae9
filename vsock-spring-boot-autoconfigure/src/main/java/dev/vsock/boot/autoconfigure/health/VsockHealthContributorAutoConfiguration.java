package dev.vsock.boot.autoconfigure.health;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.context.annotation.Bean;

import dev.vsock.boot.autoconfigure.web.VsockServerProperties;
import dev.vsock.boot.autoconfigure.grpc.VsockGrpcServerAutoConfiguration;
import dev.vsock.boot.autoconfigure.web.VsockWebServerAutoConfiguration;
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
	VsockHealthIndicator vsockHealthIndicator(VsockListeners listeners, VsockServerProperties properties) {
		return new VsockHealthIndicator(VsockTransports::detect, listeners, properties.isListening(),
				properties.getRequiredTransports());
	}

}
