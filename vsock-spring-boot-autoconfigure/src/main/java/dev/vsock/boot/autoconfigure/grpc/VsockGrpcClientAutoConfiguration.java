package dev.vsock.boot.autoconfigure.grpc;

import io.grpc.netty.NettyChannelBuilder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.grpc.client.autoconfigure.GrpcClientProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.grpc.client.GrpcChannelBuilderCustomizer;

import dev.vsock.boot.grpc.VsockGrpcChannelBuilderCustomizer;

/**
 * Auto-configuration of gRPC channels to {@code vsock://CID:PORT} targets: with Spring Boot's gRPC
 * client and grpc-java's Netty transport, a channel whose target (configured under
 * {@code spring.grpc.client.channel.<name>.target}, or given as it is) is a vsock URI connects
 * over AF_VSOCK, with the deadlines, retries, TLS and interceptors Spring gRPC configures.
 */
@AutoConfiguration(afterName = "org.springframework.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration")
@ConditionalOnClass({ NettyChannelBuilder.class, GrpcChannelBuilderCustomizer.class, GrpcClientProperties.class,
		VsockGrpcChannelBuilderCustomizer.class })
@ConditionalOnProperty(name = "spring.grpc.client.enabled", matchIfMissing = true)
public final class VsockGrpcClientAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	VsockGrpcChannelBuilderCustomizer vsockGrpcChannelBuilderCustomizer(GrpcClientProperties properties,
			Environment environment) {
		return new VsockGrpcChannelBuilderCustomizer((name) -> {
			GrpcClientProperties.Channel channel = properties.getChannel().get(name);
			return environment.resolvePlaceholders((channel != null) ? channel.getTarget() : name);
		});
	}

}
