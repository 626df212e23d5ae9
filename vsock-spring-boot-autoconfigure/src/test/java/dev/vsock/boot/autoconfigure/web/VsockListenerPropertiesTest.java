package dev.vsock.boot.autoconfigure.web;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindException;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A vsock port is checked once, by one rule, when the properties are bound: a port outside
 * 0 to 4294967295 fails the start-up there, naming the property and the value.
 */
class VsockListenerPropertiesTest {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(VsockWebServerAutoConfiguration.class));

	@Test
	void aNegativePortFailsWhereItIsBoundWithTheRangeItMustBeIn() {
		for (String property : new String[] { "server.vsock.port=-1", "server.vsock.port=4294967296" }) {
			this.runner.withPropertyValues(property).run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(IllegalArgumentException.class)
					.rootCause()
					.hasMessage("Invalid vsock port '" + property.substring(property.indexOf('=') + 1)
							+ "': expected a number from 0 to 4294967295");
				assertThat(context.getStartupFailure()).hasCauseInstanceOf(ConfigurationPropertiesBindException.class)
					.cause()
					.hasMessageContaining("prefix=server.vsock");
			});
		}
	}

	@Test
	void zeroIsAnyFreePort() {
		this.runner.withPropertyValues("server.vsock.port=0")
			.run((context) -> assertThat(context.getBean(VsockServerProperties.class).toAddress().isAnyPort())
				.isTrue());
	}

}
