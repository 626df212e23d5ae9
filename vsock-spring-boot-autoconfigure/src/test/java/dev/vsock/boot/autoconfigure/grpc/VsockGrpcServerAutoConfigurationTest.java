package dev.vsock.boot.autoconfigure.grpc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.grpc.server.ServerBuilderCustomizer;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.VsockAllowedCids;
import dev.vsock.boot.VsockGrpcTransportMissingException;
import dev.vsock.boot.autoconfigure.health.VsockHealthContributorAutoConfiguration;
import dev.vsock.boot.autoconfigure.metrics.VsockMetricsAutoConfiguration;
import dev.vsock.boot.grpc.VsockGrpcChannels;
import dev.vsock.boot.health.VsockHealthIndicator;
import dev.vsock.boot.grpc.VsockGrpcServerLifecycle;
import dev.vsock.boot.testsupport.EchoGrpc;
import dev.vsock.boot.testsupport.PassedVsockSocket;
import dev.vsock.boot.web.VsockListener;
import dev.vsock.boot.web.VsockListeners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The gRPC server's vsock listener, on the build machine: the wiring, and real calls through the
 * listener's hybrid vsock form (a Unix socket, the same factory, gate and admission as AF_VSOCK),
 * which this machine may connect to; calls over AF_VSOCK itself run in the guest
 * ({@code dev.vsock.boot.grpc.VsockGrpcIT}).
 */
@ExtendWith(OutputCaptureExtension.class)
class VsockGrpcServerAutoConfigurationTest {

	private static EventLoopGroup clientLoops;

	@TempDir
	Path directory;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(VsockGrpcServerAutoConfiguration.class,
				GrpcServerAutoConfiguration.class, SslAutoConfiguration.class))
		.withBean(EchoGrpc.class)
		.withPropertyValues("spring.grpc.server.port=0");

	@BeforeAll
	static void startClientLoops() {
		clientLoops = VsockGrpcChannels.newEventLoopGroup();
	}

	@AfterAll
	static void stopClientLoops() {
		clientLoops.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
	}

	@Test
	void servesTheTcpServersServicesAndSettingsOnVsockBesideTcp() {
		AtomicInteger customized = new AtomicInteger();
		ServerBuilderCustomizer<NettyServerBuilder> customizer = (builder) -> customized.incrementAndGet();
		this.runner.withBean("countingCustomizer", ServerBuilderCustomizer.class, () -> customizer)
			.withPropertyValues("spring.grpc.server.vsock.port=5300", hybrid(),
					"spring.grpc.server.inbound.message.max-size=1KB")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBeansOfType(GrpcServerLifecycle.class)).hasSize(2)
					.containsKeys("nettyGrpcServerLifecycle", "vsockGrpcServerLifecycle");
				assertThat(customized).as("the user's customizer, on the TCP and the vsock server").hasValue(2);
				withChannel(5300, (channel) -> {
					assertThat(EchoGrpc.call(channel, EchoGrpc.WHO, "hi")).as("no CID over hybrid vsock")
						.isEqualTo("cid=none|hi");
					assertThatExceptionOfType(StatusRuntimeException.class)
						.isThrownBy(() -> EchoGrpc.call(channel, EchoGrpc.SIZE, "x".repeat(2048)))
						.extracting((ex) -> ex.getStatus().getCode())
						.as("spring.grpc.server.inbound.message.max-size applies on vsock")
						.isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
				});
				VsockListener listener = grpcListener(context);
				assertThat(listener.serverKind()).isEqualTo("grpc");
				assertThat(listener.address().port()).isEqualTo(5300);
				assertThat(listener.counters().acceptedCount()).isEqualTo(1);
				assertThat(listener.counters().receivedBytes()).isPositive();
				assertThat(context.getEnvironment().getProperty("local.grpc.server.vsock.port")).isEqualTo("5300");
			});
	}

	@Test
	void servesOnVsockOnlyWhenTheTcpPortIsMinusOne() {
		this.runner.withPropertyValues("spring.grpc.server.port=-1", "spring.grpc.server.vsock.port=5301", hybrid())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBeansOfType(GrpcServerLifecycle.class)).hasSize(1);
				assertThat(context.getBean("nettyGrpcServerLifecycle")).isInstanceOf(VsockGrpcServerLifecycle.class);
				withChannel(5301, (channel) -> assertThat(EchoGrpc.count(channel, 3)).toIterable()
					.containsExactly("1", "2", "3"));
			});
	}

	@Test
	void listensOnAfVsockAndPublishesThePortTheKernelPicked() {
		this.runner.withPropertyValues("spring.grpc.server.vsock.port=0").run((context) -> {
			assertThat(context).hasNotFailed();
			VsockListener listener = grpcListener(context);
			assertThat(listener.isListening()).isTrue();
			assertThat(listener.address().port()).isNotZero();
			assertThat(context.getEnvironment().getProperty("local.grpc.server.vsock.port", Long.class))
				.isEqualTo(listener.address().port());
		});
	}

	@Test
	void servesOnTheSocketTheServiceManagerPassedForItsPort() throws Exception {
		try (PassedVsockSocket passed = PassedVsockSocket.listen()) {
			this.runner.withPropertyValues(passed.environment("grpc"))
				.withPropertyValues("spring.grpc.server.vsock.port=" + passed.port())
				.run((context) -> {
					assertThat(context).hasNotFailed();
					passed.served();
					VsockListener listener = grpcListener(context);
					assertThat(listener.isListening()).isTrue();
					assertThat(listener.address().port()).isEqualTo(passed.port());
					assertThat(listener.inheritedFrom()).isEqualTo("fd " + passed.fd() + " 'grpc'");
				});
		}
	}

	@Test
	void aGrpcOnlyApplicationShowsTheListenerInTheHealthAndTheMeters() {
		this.runner
			.withConfiguration(AutoConfigurations.of(VsockHealthContributorAutoConfiguration.class,
					VsockMetricsAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class)
			.withPropertyValues("spring.grpc.server.vsock.port=0")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				long port = grpcListener(context).address().port();
				Map<String, Object> details = context.getBean(VsockHealthIndicator.class).health(true).getDetails();
				assertThat(details.get("listeners")).asInstanceOf(InstanceOfAssertFactories.LIST)
					.singleElement()
					.asInstanceOf(InstanceOfAssertFactories.MAP)
					.containsEntry("server", "grpc")
					.containsEntry("kind", "grpc")
					.containsEntry("port", port);
				context.publishEvent(new ApplicationStartedEvent(new SpringApplication(), new String[0],
						context.getSourceApplicationContext(), Duration.ZERO));
				assertThat(context.getBean(SimpleMeterRegistry.class)
					.get("vsock.connections.active")
					.tags("server", "grpc", "port", Long.toString(port))
					.gauge()
					.value()).isZero();
			});
	}

	@Test
	void admitsPeersAndBuffersByTheApplicationServersRulesUnlessItHasItsOwn() {
		this.runner.withPropertyValues("spring.grpc.server.vsock.port=0", "server.vsock.allowed-cids=host",
				"server.vsock.max-connections=7", "server.vsock.buffer-size=1MB")
			.run((context) -> {
				VsockListener listener = grpcListener(context);
				VsockAllowedCids allowed = listener.admission().allowedCids();
				assertThat(allowed.allows(VsockAddress.CID_HOST)).isTrue();
				assertThat(allowed.allows(VsockAddress.CID_LOCAL)).as("not in the list").isFalse();
				assertThat(allowed.allows(5)).isFalse();
				assertThat(listener.admission().maxConnections()).isEqualTo(7);
				assertThat(listener.bufferSize()).as("read back from the listening socket").isEqualTo(1024 * 1024L);
			});
		this.runner.withPropertyValues("spring.grpc.server.vsock.port=0", "server.vsock.allowed-cids=host",
				"spring.grpc.server.vsock.allowed-cids=5", "spring.grpc.server.vsock.allow-local=false",
				"server.vsock.buffer-size=1MB", "spring.grpc.server.vsock.buffer-size=2MB")
			.run((context) -> {
				VsockAllowedCids allowed = grpcListener(context).admission().allowedCids();
				assertThat(allowed.allows(5)).isTrue();
				assertThat(allowed.allows(VsockAddress.CID_HOST)).isFalse();
				assertThat(allowed.allows(VsockAddress.CID_LOCAL)).isFalse();
				assertThat(grpcListener(context).bufferSize()).isEqualTo(2 * 1024 * 1024L);
			});
	}

	@Test
	void warnsOfTheTcpPortBesideAnAllowListUnlessOnlyThisMachineReachesIt(CapturedOutput output) {
		// As for the web servers: a TCP port on loopback is reached by this machine's processes,
		// which the list admits over vsock too (CID 1).
		this.runner
			.withPropertyValues("spring.grpc.server.vsock.port=0", "server.vsock.allowed-cids=host,local",
					"spring.grpc.server.address=127.0.0.1")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).doesNotContain("allow-list cannot protect");
		this.runner.withPropertyValues("spring.grpc.server.vsock.port=0", "server.vsock.allowed-cids=host,local")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).contains("which the allow-list cannot protect");
	}

	@Test
	void refusesConnectionsOverTheLimitAndCountsThem() {
		this.runner
			.withPropertyValues("spring.grpc.server.vsock.port=5302", hybrid(),
					"spring.grpc.server.vsock.max-connections=1")
			.run((context) -> withChannel(5302, (first) -> {
				assertThat(EchoGrpc.call(first, EchoGrpc.WHO, "1")).endsWith("|1");
				withChannel(5302, (second) -> assertThatExceptionOfType(StatusRuntimeException.class)
					.isThrownBy(() -> EchoGrpc.call(second, EchoGrpc.WHO, "2"))
					.extracting((ex) -> ex.getStatus().getCode())
					.isEqualTo(Status.Code.UNAVAILABLE));
				assertThat(EchoGrpc.call(first, EchoGrpc.WHO, "3")).as("the first connection keeps serving")
					.endsWith("|3");
				assertThat(grpcListener(context).counters().overLimitCount()).isPositive();
			}));
	}

	@Test
	void aGracefulShutdownLetsAnInFlightCallFinish() {
		this.runner.withPropertyValues("spring.grpc.server.vsock.port=5303", hybrid(),
				"spring.grpc.server.shutdown.grace-period=30s")
			.run((context) -> withChannel(5303, (channel) -> {
				EchoGrpc service = context.getBean(EchoGrpc.class);
				CompletableFuture<String> inFlight = CompletableFuture
					.supplyAsync(() -> EchoGrpc.call(channel, EchoGrpc.WAIT, "1500"));
				assertThat(service.awaitWaiting()).isTrue();
				context.getBean("vsockGrpcServerLifecycle", VsockGrpcServerLifecycle.class).stop();
				assertThat(inFlight.get(60, TimeUnit.SECONDS)).isEqualTo("done");
			}));
	}

	@Test
	void servesTlsFromTheSslBundleOfTheTcpServer() {
		this.runner
			.withPropertyValues("spring.grpc.server.vsock.port=5304", hybrid(),
					"spring.ssl.bundle.pem.server.keystore.certificate=classpath:tls/server.crt",
					"spring.ssl.bundle.pem.server.keystore.private-key=classpath:tls/server.key",
					"spring.grpc.server.ssl.bundle=server")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				// The test certificate names no host, so this client checks that TLS is spoken, not
				// whom it is spoken with.
				ChannelCredentials tls = TlsChannelCredentials.newBuilder()
					.trustManager(InsecureTrustManagerFactory.INSTANCE.getTrustManagers())
					.build();
				withChannel(5304, tls, (channel) -> assertThat(EchoGrpc.call(channel, EchoGrpc.WHO, "tls"))
					.isEqualTo("cid=none|tls"));
				withChannel(5304, (plain) -> assertThatExceptionOfType(StatusRuntimeException.class)
					.isThrownBy(() -> EchoGrpc.call(plain, EchoGrpc.WHO, "plain"))
					.extracting((ex) -> ex.getStatus().getCode())
					.isEqualTo(Status.Code.UNAVAILABLE));
			});
	}

	@Test
	void withoutTheUnshadedTransportTheStartFailsAndSaysWhatToAdd() {
		this.runner.withClassLoader(new FilteredClassLoader(NettyServerBuilder.class))
			.withPropertyValues("spring.grpc.server.vsock.port=0")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(VsockGrpcTransportMissingException.class)
					.hasMessageContaining("io.grpc:grpc-netty is not on the classpath");
			});
	}

	@Test
	void isOffWithoutAVsockPort() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(VsockGrpcServerLifecycle.class);
		});
	}

	private String hybrid() {
		return "server.vsock.hybrid.uds-path=" + this.directory.resolve("v.sock");
	}

	private static VsockListener grpcListener(AssertableApplicationContext context) {
		return context.getBean(VsockListeners.class)
			.all()
			.stream()
			.filter((listener) -> listener.serverName().equals("grpc"))
			.findFirst()
			.orElseThrow();
	}

	private void withChannel(long port, ThrowingChannelUse use) throws Exception {
		withChannel(port, InsecureChannelCredentials.create(), use);
	}

	private void withChannel(long port, ChannelCredentials credentials, ThrowingChannelUse use) throws Exception {
		ManagedChannel channel = NettyChannelBuilder
			.forAddress(new DomainSocketAddress(this.directory.resolve("v.sock_" + port).toFile()), credentials)
			.channelType(EpollDomainSocketChannel.class, DomainSocketAddress.class)
			.eventLoopGroup(clientLoops)
			.build();
		try {
			use.accept(channel);
		}
		finally {
			channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
		}
	}

	@FunctionalInterface
	private interface ThrowingChannelUse {

		void accept(ManagedChannel channel) throws Exception;

	}

}
