package dev.vsock.boot.autoconfigure.reactor;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.web.server.reactive.ReactiveWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.vsock.boot.VsockServerNotSupportedException;
import dev.vsock.boot.autoconfigure.web.VsockWebServerAutoConfiguration;
import dev.vsock.boot.reactor.VsockNettyReactiveWebServerFactory;
import dev.vsock.boot.reactor.VsockPeerWebFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the Reactor Netty server gets a vsock listener. The contexts here start no server.
 */
class VsockReactiveWebServerAutoConfigurationTest {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(VsockWebServerAutoConfiguration.class,
				VsockReactiveWebServerAutoConfiguration.class, NettyReactiveWebServerAutoConfiguration.class));

	@Test
	void aVsockPortSwitchesTheVsockFactoryOn() {
		this.runner.withPropertyValues("server.vsock.port=1234").run((context) -> {
			assertThat(context).getBean(ReactiveWebServerFactory.class)
				.isInstanceOf(VsockNettyReactiveWebServerFactory.class);
			assertThat(context).hasSingleBean(VsockPeerWebFilter.class);
		});
	}

	@Test
	void withoutAVsockPortBootsOwnFactoryServes() {
		this.runner.run((context) -> {
			assertThat(context).getBean(ReactiveWebServerFactory.class)
				.isExactlyInstanceOf(NettyReactiveWebServerFactory.class);
			assertThat(context).doesNotHaveBean(VsockPeerWebFilter.class);
		});
	}

	@Test
	void enabledFalseSwitchesVsockOff() {
		this.runner.withPropertyValues("server.vsock.port=1234", "server.vsock.enabled=false")
			.run((context) -> assertThat(context).getBean(ReactiveWebServerFactory.class)
				.isExactlyInstanceOf(NettyReactiveWebServerFactory.class));
	}

	@Test
	void aFactoryThatCannotServeVsockFailsTheStartupRatherThanIgnoringThePort() {
		this.runner.withPropertyValues("server.vsock.port=1234")
			.withUserConfiguration(UserFactory.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(VsockServerNotSupportedException.class)
				.hasMessageContaining(NettyReactiveWebServerFactory.class.getName()));
	}

	@Test
	void aFactoryOfTheUsersOwnIsLeftAloneWithoutAVsockPort() {
		this.runner.withUserConfiguration(UserFactory.class)
			.run((context) -> assertThat(context).getBean(ReactiveWebServerFactory.class)
				.isSameAs(context.getBean(UserFactory.class).factory));
	}

	@Test
	void anInvalidCidFailsAtStartupNamingTheValue() {
		this.runner.withPropertyValues("server.vsock.port=1234", "server.vsock.cid=guest")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Failed to bind properties under 'server.vsock'")
				// Spring Boot's failure report gives the root cause as the reason: it must be ours
				.rootCause()
				.isExactlyInstanceOf(IllegalArgumentException.class)
				.hasMessage("Invalid vsock CID 'guest': expected a number from 0 to 4294967295 or one of any, hypervisor, local, host"));
	}

	@Test
	void aPortOutOfRangeFailsAtStartupNamingTheValue() {
		this.runner.withPropertyValues("server.vsock.port=4294967296")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("'4294967296'")
				.hasMessageContaining("0 to 4294967295"));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserFactory {

		final NettyReactiveWebServerFactory factory = new NettyReactiveWebServerFactory(0);

		@Bean
		ReactiveWebServerFactory userFactory() {
			return this.factory;
		}

	}

}
