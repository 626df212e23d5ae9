package dev.vsock.boot.autoconfigure.health;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;

import dev.vsock.boot.autoconfigure.web.VsockServerProperties;
import dev.vsock.boot.autoconfigure.web.VsockWebServerAutoConfiguration;
import dev.vsock.boot.health.VsockHealthIndicator;
import dev.vsock.boot.transport.VsockTransport;

import static org.assertj.core.api.Assertions.assertThat;

class VsockHealthContributorAutoConfigurationTest {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(VsockWebServerAutoConfiguration.class,
				VsockHealthContributorAutoConfiguration.class));

	@Test
	void theVsockComponentIsThereByDefault() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(VsockHealthIndicator.class));
	}

	@Test
	void itCanBeSwitchedOff() {
		this.runner.withPropertyValues("management.health.vsock.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(VsockHealthIndicator.class));
	}

	@Test
	void requiredTransportsBindFromTheirIds() {
		this.runner.withPropertyValues("server.vsock.required-transports=g2h,loopback,h2g")
			.run((context) -> assertThat(context.getBean(VsockServerProperties.class).getRequiredTransports())
				.containsExactly(VsockTransport.G2H, VsockTransport.LOOPBACK, VsockTransport.H2G));
	}

}
