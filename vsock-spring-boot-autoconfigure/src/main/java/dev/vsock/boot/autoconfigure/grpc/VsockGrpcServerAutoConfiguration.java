package dev.vsock.boot.autoconfigure.grpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

import io.grpc.BindableService;
import io.grpc.CompressorRegistry;
import io.grpc.DecompressorRegistry;
import io.grpc.netty.NettyServerBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.grpc.server.autoconfigure.GrpcServerExecutorProvider;
import org.springframework.boot.grpc.server.autoconfigure.GrpcServerFactoryCustomizer;
import org.springframework.boot.grpc.server.autoconfigure.GrpcServerProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.util.LambdaSafe;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.grpc.server.GlobalServerInterceptor;
import org.springframework.util.ClassUtils;
import org.springframework.grpc.server.ServerBuilderCustomizer;
import org.springframework.grpc.server.service.GrpcServiceConfigurer;
import org.springframework.grpc.server.service.GrpcServiceDiscoverer;

import dev.vsock.boot.VsockGrpcTransportMissingException;
import dev.vsock.boot.autoconfigure.web.ConditionalOnVsockOrNoFallback;
import dev.vsock.boot.autoconfigure.web.VsockServerProperties;
import dev.vsock.boot.autoconfigure.web.VsockWebServerFactoryCustomizer;
import dev.vsock.boot.grpc.VsockGrpcPortInfoApplicationListener;
import dev.vsock.boot.grpc.VsockGrpcServerFactory;
import dev.vsock.boot.grpc.VsockGrpcServerLifecycle;
import dev.vsock.boot.grpc.VsockPeerServerInterceptor;
import dev.vsock.boot.systemd.InheritedSockets;
import dev.vsock.boot.web.VsockListeners;

/**
 * Auto-configuration of the gRPC server's vsock listener: with Spring Boot's gRPC server and
 * {@code spring.grpc.server.vsock.port}, a second server on vsock serves the services,
 * interceptors and settings of the TCP server (message sizes, keep-alive, TLS from
 * {@code spring.grpc.server.ssl}, the user's server builder and factory customizers), beside it,
 * or alone when {@code spring.grpc.server.port} is -1. The peer's CID is in each call's context
 * ({@link VsockPeerServerInterceptor}), and the listener shows in the vsock health and meters.
 *
 * <p>Spring Boot's own factory is built from classes it keeps to itself, so the vsock factory is
 * built here from the same beans and properties, in the same order.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration")
@ConditionalOnClass({ GrpcServerProperties.class, BindableService.class })
@ConditionalOnBean(BindableService.class)
@ConditionalOnBooleanProperty(name = "spring.grpc.server.enabled", matchIfMissing = true)
@ConditionalOnProperty("spring.grpc.server.vsock.port")
@EnableConfigurationProperties({ VsockGrpcServerProperties.class, VsockServerProperties.class,
		GrpcServerProperties.class })
public final class VsockGrpcServerAutoConfiguration {

	/** The TCP port of Spring Boot's gRPC server when spring.grpc.server.port is not set. */
	static final int DEFAULT_TCP_PORT = 9090;

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("io.grpc.netty.NettyServerBuilder")
	static class MissingTransportConfiguration {

		@Bean
		Object vsockGrpcTransportCheck() {
			throw new VsockGrpcTransportMissingException(
					ClassUtils.isPresent("io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder", null));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ NettyServerBuilder.class, VsockGrpcServerFactory.class })
	@ConditionalOnVsockOrNoFallback(tcpPort = "spring.grpc.server.port", defaultTcpPort = DEFAULT_TCP_PORT)
	static class NettyTransportConfiguration {

		@Bean
		@ConditionalOnMissingBean
		VsockListeners vsockListeners(VsockServerProperties server, Environment environment) {
			return new VsockListeners(InheritedSockets.from(environment, server.isSocketActivation()));
		}

		@Bean
		@GlobalServerInterceptor
		@ConditionalOnMissingBean
		VsockPeerServerInterceptor vsockPeerServerInterceptor() {
			return new VsockPeerServerInterceptor();
		}

		@Bean
		VsockGrpcPortInfoApplicationListener vsockGrpcPortInfoApplicationListener(ConfigurableApplicationContext context) {
			return new VsockGrpcPortInfoApplicationListener(context);
		}

		/**
		 * The vsock server instead of the TCP one (spring.grpc.server.port=-1), also under the name of
		 * Spring Boot's TCP server lifecycle, which Spring Boot then does not create.
		 */
		@Bean(name = { "vsockGrpcServerLifecycle", "nettyGrpcServerLifecycle" })
		@ConditionalOnProperty(name = "spring.grpc.server.port", havingValue = "-1")
		VsockGrpcServerLifecycle vsockOnlyGrpcServerLifecycle(Factories factories) {
			return factories.newLifecycle();
		}

		/**
		 * The vsock server beside the TCP one.
		 */
		@Bean
		@ConditionalOnMissingBean(name = "vsockGrpcServerLifecycle")
		VsockGrpcServerLifecycle vsockGrpcServerLifecycle(Factories factories) {
			Integer port = factories.properties.getPort();
			factories.customizer.warnOfTcp((port != null) ? port : DEFAULT_TCP_PORT, factories.properties.getAddress());
			return factories.newLifecycle();
		}

		@Bean
		Factories vsockGrpcServerFactories(GrpcServerProperties properties, VsockGrpcServerProperties vsock,
				VsockServerProperties server, VsockListeners listeners, ObjectProvider<GrpcServiceDiscoverer> discoverer,
				ObjectProvider<GrpcServiceConfigurer> configurer, ObjectProvider<SslBundles> bundles,
				ObjectProvider<CompressorRegistry> compressors, ObjectProvider<DecompressorRegistry> decompressors,
				ObjectProvider<GrpcServerExecutorProvider> executor, ObjectProvider<ServerBuilderCustomizer<?>> customizers,
				ObjectProvider<GrpcServerFactoryCustomizer> factoryCustomizers, ApplicationEventPublisher eventPublisher) {
			return new Factories(properties, VsockWebServerFactoryCustomizer.forGrpc(vsock, server, listeners), discoverer,
					configurer, bundles, compressors, decompressors, executor, customizers, factoryCustomizers,
					eventPublisher);
		}

		/**
		 * Builds vsock server factories as Spring Boot builds the TCP server's factory: the builder
		 * customizers in its order (compression, executor, message sizes and keep-alive from the
		 * properties, the user's), TLS from {@code spring.grpc.server.ssl}, the user's factory
		 * customizers, then the services with their interceptors; the vsock listener's settings last.
		 */
		static final class Factories {

			private final GrpcServerProperties properties;

			private final VsockWebServerFactoryCustomizer customizer;

			private final ObjectProvider<GrpcServiceDiscoverer> discoverer;

			private final ObjectProvider<GrpcServiceConfigurer> configurer;

			private final ObjectProvider<SslBundles> bundles;

			private final List<ServerBuilderCustomizer<?>> builderCustomizers = new ArrayList<>();

			private final ObjectProvider<GrpcServerFactoryCustomizer> factoryCustomizers;

			private final ApplicationEventPublisher eventPublisher;

			Factories(GrpcServerProperties properties, VsockWebServerFactoryCustomizer customizer,
					ObjectProvider<GrpcServiceDiscoverer> discoverer, ObjectProvider<GrpcServiceConfigurer> configurer,
					ObjectProvider<SslBundles> bundles, ObjectProvider<CompressorRegistry> compressors,
					ObjectProvider<DecompressorRegistry> decompressors, ObjectProvider<GrpcServerExecutorProvider> executor,
					ObjectProvider<ServerBuilderCustomizer<?>> customizers,
					ObjectProvider<GrpcServerFactoryCustomizer> factoryCustomizers, ApplicationEventPublisher eventPublisher) {
				this.properties = properties;
				this.customizer = customizer;
				this.discoverer = discoverer;
				this.configurer = configurer;
				this.bundles = bundles;
				this.factoryCustomizers = factoryCustomizers;
				this.eventPublisher = eventPublisher;
				compressors.ifAvailable((registry) -> add((builder) -> builder.compressorRegistry(registry)));
				decompressors.ifAvailable((registry) -> add((builder) -> builder.decompressorRegistry(registry)));
				executor.ifAvailable((provider) -> add((builder) -> builder.executor(provider.getExecutor())));
				add(this::applyProperties);
				customizers.orderedStream().forEach(this.builderCustomizers::add);
			}

			private void add(ServerBuilderCustomizer<NettyServerBuilder> customizer) {
				this.builderCustomizers.add(customizer);
			}

			VsockGrpcServerLifecycle newLifecycle() {
				return new VsockGrpcServerLifecycle(newFactory(), this.properties.getShutdown().getGracePeriod(),
						this.eventPublisher);
			}

			VsockGrpcServerFactory newFactory() {
				GrpcServerProperties.Ssl ssl = this.properties.getSsl();
				SslManagerBundle managers = null;
				if (!Boolean.FALSE.equals(ssl.getEnabled()) && ssl.getBundle() != null) {
					managers = this.bundles.getObject().getBundle(ssl.getBundle()).getManagers();
				}
				else if (Boolean.TRUE.equals(ssl.getEnabled())) {
					throw new IllegalStateException(
							"SSL bundle-name is requested when 'spring.grpc.server.ssl.enabled' is true");
				}
				KeyManagerFactory keyManager = (managers != null) ? managers.getKeyManagerFactory() : null;
				TrustManagerFactory trustManager = (managers == null) ? null
						: ssl.isSecure() ? managers.getTrustManagerFactory() : InsecureTrustManagerFactory.INSTANCE;
				VsockGrpcServerFactory factory = new VsockGrpcServerFactory(List.of(this::customize), keyManager,
						trustManager, ssl.getClientAuth());
				this.factoryCustomizers.orderedStream().forEach((customizer) -> customizer.customize(factory));
				this.customizer.apply(factory);
				GrpcServiceConfigurer configurer = this.configurer.getObject();
				this.discoverer.getObject()
					.findServices()
					.stream()
					.map((spec) -> configurer.configure(spec, factory))
					.forEach(factory::addService);
				return factory;
			}

			@SuppressWarnings("unchecked")
			private void customize(NettyServerBuilder builder) {
				LambdaSafe.callbacks(ServerBuilderCustomizer.class, this.builderCustomizers, builder)
					.withLogger(VsockGrpcServerAutoConfiguration.class)
					.invoke((customizer) -> customizer.customize(builder));
			}

			private void applyProperties(NettyServerBuilder builder) {
				PropertyMapper map = PropertyMapper.get();
				GrpcServerProperties.Inbound inbound = this.properties.getInbound();
				map.from(inbound.getMessage()::getMaxSize).asInt((size) -> size.toBytes()).to(builder::maxInboundMessageSize);
				map.from(inbound.getMetadata()::getMaxSize).asInt((size) -> size.toBytes()).to(builder::maxInboundMetadataSize);
				GrpcServerProperties.Keepalive keepalive = this.properties.getKeepalive();
				map.from(keepalive::getTime).to(nanos(builder::keepAliveTime));
				map.from(keepalive::getTimeout).to(nanos(builder::keepAliveTimeout));
				map.from(keepalive.getConnection()::getMaxIdleTime).to(nanos(builder::maxConnectionIdle));
				map.from(keepalive.getConnection()::getMaxAge).to(nanos(builder::maxConnectionAge));
				map.from(keepalive.getConnection()::getGracePeriod).to(nanos(builder::maxConnectionAgeGrace));
				map.from(keepalive.getPermit()::getTime).to(nanos(builder::permitKeepAliveTime));
				map.from(keepalive.getPermit()::isWithoutCalls).to(builder::permitKeepAliveWithoutCalls);
			}

			private static Consumer<Duration> nanos(Setter setter) {
				return (duration) -> setter.set(duration.toNanos(), TimeUnit.NANOSECONDS);
			}

			@FunctionalInterface
			private interface Setter {

				void set(long value, TimeUnit unit);

			}

		}

	}

}
