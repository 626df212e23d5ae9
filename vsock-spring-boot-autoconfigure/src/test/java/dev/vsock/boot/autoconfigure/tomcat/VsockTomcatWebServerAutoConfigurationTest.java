package dev.vsock.boot.autoconfigure.tomcat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.servlet.ServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.VsockServerNotSupportedException;
import dev.vsock.boot.autoconfigure.web.VsockWebServerAutoConfiguration;
import dev.vsock.boot.tomcat.VsockTomcatServletWebServerFactory;
import dev.vsock.boot.web.VsockListeners;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the Tomcat servlet server gets a vsock connector. The contexts here start no server.
 */
class VsockTomcatWebServerAutoConfigurationTest {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(VsockWebServerAutoConfiguration.class,
				VsockTomcatWebServerAutoConfiguration.class, TomcatServletWebServerAutoConfiguration.class));

	@Test
	void aVsockPortSwitchesTheVsockFactoryOnWithTheUsersCustomizers() {
		this.runner.withPropertyValues("server.vsock.port=1234", "server.vsock.cid=local")
			.withUserConfiguration(UserCustomizer.class)
			.run((context) -> {
				assertThat(context).getBean(ServletWebServerFactory.class)
					.isInstanceOfSatisfying(VsockTomcatServletWebServerFactory.class, (factory) -> {
						assertThat(factory.getVsockAddress())
							.isEqualTo(VsockAddress.of(VsockAddress.CID_LOCAL, 1234));
						assertThat(factory.getConnectorCustomizers())
							.contains(context.getBean(TomcatConnectorCustomizer.class));
					});
			});
	}

	@Test
	void theHybridVsockSocketPathReachesTheFactory() {
		this.runner.withPropertyValues("server.vsock.port=5052", "server.vsock.hybrid.uds-path=/run/fc/v.sock")
			.run((context) -> assertThat(context).getBean(VsockTomcatServletWebServerFactory.class)
				.satisfies((factory) -> assertThat(factory.getVsockSettings().hybridSocketPath())
					.isEqualTo(Path.of("/run/fc/v.sock"))));
	}

	@Test
	void withoutAVsockPortBootsOwnFactoryServes() {
		this.runner.run((context) -> assertThat(context).getBean(ServletWebServerFactory.class)
			.isExactlyInstanceOf(TomcatServletWebServerFactory.class));
	}

	@Test
	void enabledFalseSwitchesVsockOff() {
		this.runner.withPropertyValues("server.vsock.port=1234", "server.vsock.enabled=false")
			.run((context) -> assertThat(context).getBean(ServletWebServerFactory.class)
				.isExactlyInstanceOf(TomcatServletWebServerFactory.class));
	}

	@Test
	void aVsockFactoryOfTheUsersOwnWins() {
		this.runner.withPropertyValues("server.vsock.port=1234")
			.withUserConfiguration(UserVsockFactory.class)
			.run((context) -> assertThat(context).getBean(ServletWebServerFactory.class)
				.isSameAs(context.getBean(UserVsockFactory.class).factory));
	}

	@Test
	void aFactoryThatCannotServeVsockFailsTheStartupRatherThanIgnoringThePort() {
		this.runner.withPropertyValues("server.vsock.port=1234")
			.withUserConfiguration(UserTcpFactory.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(VsockServerNotSupportedException.class)
				.hasMessageContaining(TomcatServletWebServerFactory.class.getName()));
	}

	@Test
	void aFactoryOfTheUsersOwnIsLeftAloneWithoutAVsockPort() {
		this.runner.withUserConfiguration(UserTcpFactory.class)
			.run((context) -> assertThat(context).getBean(ServletWebServerFactory.class)
				.isSameAs(context.getBean(UserTcpFactory.class).factory));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserCustomizer {

		@Bean
		TomcatConnectorCustomizer userConnectorCustomizer() {
			return (connector) -> connector.setProperty("maxKeepAliveRequests", "7");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserTcpFactory {

		final TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory(0);

		@Bean
		ServletWebServerFactory userFactory() {
			return this.factory;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserVsockFactory {

		final VsockTomcatServletWebServerFactory factory = new VsockTomcatServletWebServerFactory(
				VsockAddress.of(VsockAddress.CID_LOCAL, 1234), new VsockListeners());

		@Bean
		ServletWebServerFactory userFactory() {
			return this.factory;
		}

	}

}
