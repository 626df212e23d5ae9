package dev.vsock.boot.autoconfigure.grpc;

import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.grpc.client.GrpcChannelFactory;

import dev.vsock.boot.grpc.VsockGrpcChannelBuilderCustomizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Spring gRPC's channels to {@code vsock://} targets, by a configured channel's name or by the
 * target itself. Building a channel does not connect, so this runs on the build machine; the
 * guest's {@code VsockGrpcIT} calls through such channels.
 */
class VsockGrpcClientAutoConfigurationTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(GrpcClientAutoConfiguration.class,
				VsockGrpcClientAutoConfiguration.class, SslAutoConfiguration.class))
		.withPropertyValues("spring.grpc.client.channel.agent.target=vsock://3:5200",
				"spring.grpc.client.channel.plain.target=static://localhost:9090");

	@Test
	void aChannelNamedInTheConfigurationOrGivenItsTargetConnectsOverVsock() {
		this.runner.run((context) -> {
			GrpcChannelFactory channels = context.getBean(GrpcChannelFactory.class);
			assertThat(authorityOf(channels.createChannel("agent"))).isEqualTo("3:5200");
			assertThat(authorityOf(channels.createChannel("vsock://local:5200"))).isEqualTo("local:5200");
			assertThat(authorityOf(channels.createChannel("plain"))).as("other targets are left alone")
				.isEqualTo("localhost:9090");
		});
	}

	@Test
	void withoutItAVsockTargetIsRefusedByTheTransport() {
		this.runner.withClassLoader(new FilteredClassLoader(VsockGrpcChannelBuilderCustomizer.class))
			.run((context) -> assertThatIllegalArgumentException()
				.isThrownBy(() -> context.getBean(GrpcChannelFactory.class).createChannel("agent"))
				.withMessageContaining("not supported by transport"));
	}

	@Test
	void isOffWithoutTheNettyTransport() {
		this.runner.withClassLoader(new FilteredClassLoader(NettyChannelBuilder.class))
			.run((context) -> assertThat(context).doesNotHaveBean(VsockGrpcChannelBuilderCustomizer.class));
	}

	private static String authorityOf(ManagedChannel channel) throws InterruptedException {
		try {
			return channel.authority();
		}
		finally {
			channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
	}

}
