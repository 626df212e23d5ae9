package dev.vsock.boot.autoconfigure.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;

import dev.vsock.boot.web.VsockListeners;

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

}
