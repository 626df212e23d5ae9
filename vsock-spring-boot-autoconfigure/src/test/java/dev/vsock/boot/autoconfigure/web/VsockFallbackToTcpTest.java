package dev.vsock.boot.autoconfigure.web;

import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;

import dev.vsock.boot.autoconfigure.grpc.VsockGrpcServerAutoConfiguration;
import dev.vsock.boot.autoconfigure.health.VsockHealthContributorAutoConfiguration;
import dev.vsock.boot.grpc.VsockGrpcServerLifecycle;
import dev.vsock.boot.health.VsockHealthIndicator;
import dev.vsock.boot.testsupport.EchoGrpc;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code server.vsock.fallback-to-tcp}: where this machine cannot open an AF_VSOCK socket (here
 * made to say so, since the build machine can), the listeners that have a TCP port to serve on are
 * not created and a warning says so; without the fallback, or without a TCP port, they are, and
 * their start fails as it always did.
 */
@ExtendWith(OutputCaptureExtension.class)
class VsockFallbackToTcpTest {

	private final BooleanSupplier realAvailability = OnVsockOrNoFallbackCondition.availability;

	private final ReactiveWebApplicationContextRunner web = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(VsockWebServerAutoConfiguration.class,
				VsockHealthContributorAutoConfiguration.class))
		.withPropertyValues("server.vsock.port=5000");

	private final ApplicationContextRunner grpc = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(VsockGrpcServerAutoConfiguration.class,
				GrpcServerAutoConfiguration.class, SslAutoConfiguration.class))
		.withBean(EchoGrpc.class)
		.withPropertyValues("spring.grpc.server.vsock.port=0", "spring.grpc.server.port=0");

	@AfterEach
	void restoreTheRealAvailability() {
		OnVsockOrNoFallbackCondition.availability = this.realAvailability;
	}

	@Test
	void withoutAfVsockTheWebServerFallsBackToItsTcpPortAndSaysSo(CapturedOutput output) {
		OnVsockOrNoFallbackCondition.availability = () -> false;
		this.web.withPropertyValues("server.vsock.fallback-to-tcp=true", "server.port=8080").run((context) -> {
			assertThat(context).doesNotHaveBean(VsockWebServerFactoryCustomizer.class);
			assertThat(context.getBean(VsockHealthIndicator.class).health(true).getStatus())
				.as("no vsock listener is expected once the server fell back").isEqualTo(Status.UP);
			assertThat(output).contains("WARN")
				.contains("This machine cannot open an AF_VSOCK socket and server.vsock.fallback-to-tcp is set")
				.contains("serves on TCP port 8080 only");
		});
	}

	@Test
	void withoutATcpPortThereIsNoFallbackAndTheVsockListenerIsConfigured() {
		OnVsockOrNoFallbackCondition.availability = () -> false;
		this.web.withPropertyValues("server.vsock.fallback-to-tcp=true", "server.port=-1")
			.run((context) -> assertThat(context).hasSingleBean(VsockWebServerFactoryCustomizer.class));
	}

	@Test
	void theDefaultIsToFailWithoutAfVsockAndTheHealthExpectsTheListener() {
		OnVsockOrNoFallbackCondition.availability = () -> false;
		this.web.run((context) -> {
			assertThat(context).hasSingleBean(VsockWebServerFactoryCustomizer.class);
			assertThat(context.getBean(VsockHealthIndicator.class).health(true).getStatus())
				.as("the listener is expected and there is none").isEqualTo(Status.DOWN);
		});
	}

	@Test
	void whereAfVsockIsThereTheFallbackChangesNothing() {
		OnVsockOrNoFallbackCondition.availability = () -> true;
		this.web.withPropertyValues("server.vsock.fallback-to-tcp=true")
			.run((context) -> assertThat(context).hasSingleBean(VsockWebServerFactoryCustomizer.class));
	}

	@Test
	void withoutAfVsockTheGrpcServerServesOnItsTcpPortOnly() {
		OnVsockOrNoFallbackCondition.availability = () -> false;
		this.grpc.withPropertyValues("server.vsock.fallback-to-tcp=true").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(VsockGrpcServerLifecycle.class);
			assertThat(context.getBeansOfType(GrpcServerLifecycle.class)).containsOnlyKeys("nettyGrpcServerLifecycle");
		});
	}

	@Test
	void theProbeAsksTheKernelOnlyWhenTheFallbackIsOn() {
		OnVsockOrNoFallbackCondition.availability = () -> {
			throw new AssertionError("the kernel was asked");
		};
		this.web.run((context) -> assertThat(context).hasSingleBean(VsockWebServerFactoryCustomizer.class));
	}

}
