package dev.vsock.boot.grpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import com.google.common.util.concurrent.ListenableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration;
import org.springframework.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.GrpcChannelFactory;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.VsockAllowedCids;
import dev.vsock.boot.autoconfigure.grpc.VsockGrpcClientAutoConfiguration;
import dev.vsock.boot.autoconfigure.grpc.VsockGrpcServerAutoConfiguration;
import dev.vsock.boot.testsupport.EchoGrpc;
import dev.vsock.boot.testsupport.RequiresVsockLoopback;
import dev.vsock.boot.testsupport.TestTls;
import dev.vsock.boot.web.VsockListener;
import dev.vsock.boot.web.VsockListeners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * gRPC over real AF_VSOCK, in the guest, through vsock loopback (CID 1): Spring Boot's gRPC server
 * on vsock only, called through Spring gRPC's channel factory with a {@code vsock://1:PORT}
 * target. Unary and streaming calls, a 16 MiB message, a deadline, a cancellation, the caller's
 * CID seen by the service, a peer that is not allowed, TLS and a graceful shutdown (the last three
 * on servers of their own, without an application context). The Spring wiring and the connection
 * limit are proven on the build machine through the same factory's hybrid listener
 * ({@code VsockGrpcServerAutoConfigurationTest}).
 */
@RequiresVsockLoopback
@SpringBootTest(classes = VsockGrpcIT.GrpcApplication.class, webEnvironment = WebEnvironment.NONE,
		properties = { "spring.grpc.client.enabled=true", "spring.grpc.server.port=-1", "spring.grpc.server.vsock.port=" + VsockGrpcIT.PORT,
				"spring.grpc.server.inbound.message.max-size=17MB" })
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class VsockGrpcIT {

	/**
	 * The application's gRPC port: fixed, so that {@code vsock://1:PORT} can name it (grpc-java
	 * cannot read a port above 2147483647 in a URI's authority, and the kernel picks ports from the
	 * whole 32-bit range); the servers of their own below take the port the kernel picks and are
	 * called as {@code vsock:local:PORT}.
	 */
	static final long PORT = 5300;

	private static final int SIXTEEN_MIB = 16 * 1024 * 1024;

	@Value("${local.grpc.server.vsock.port}")
	long port;

	@Autowired
	EchoGrpc service;

	@Autowired
	GrpcChannelFactory channels;

	@Autowired
	VsockListeners listeners;

	private ManagedChannel channel() {
		return this.channels.createChannel("vsock://1:" + this.port);
	}

	private ManagedChannel channelTo(VsockGrpcServerFactory factory) {
		long port = factory.getVsockListener().address().port();
		return this.channels.createChannel(VsockNameResolverProvider.target(VsockAddress.of(VsockAddress.CID_LOCAL, port)));
	}

	@Test
	void aUnaryCallReachesTheServiceWhichSeesCidOne() {
		assertThat(EchoGrpc.call(channel(), EchoGrpc.WHO, "hello")).isEqualTo("cid=1|hello");
		VsockListener listener = this.listeners.all().stream().filter((l) -> l.serverName().equals("grpc")).findFirst()
			.orElseThrow();
		assertThat(listener.isListening()).isTrue();
		assertThat(listener.address().port()).isEqualTo(this.port);
		assertThat(listener.counters().acceptedCount()).isPositive();
	}

	@Test
	void aServerStreamDeliversEveryMessageInOrder() {
		List<String> answers = new ArrayList<>();
		EchoGrpc.count(channel(), 1000).forEachRemaining(answers::add);
		assertThat(answers).hasSize(1000).startsWith("1", "2").endsWith("1000");
	}

	@Test
	void aBidirectionalStreamEchoesEachMessage() throws Exception {
		CompletableFuture<List<String>> received = new CompletableFuture<>();
		List<String> answers = new ArrayList<>();
		ClientCall<String, String> call = channel().newCall(EchoGrpc.CHAT, CallOptions.DEFAULT);
		StreamObserver<String> requests = ClientCalls.asyncBidiStreamingCall(call, new StreamObserver<>() {

			@Override
			public void onNext(String answer) {
				answers.add(answer);
			}

			@Override
			public void onError(Throwable error) {
				received.completeExceptionally(error);
			}

			@Override
			public void onCompleted() {
				received.complete(answers);
			}

		});
		for (int i = 0; i < 100; i++) {
			requests.onNext("m" + i);
		}
		requests.onCompleted();
		assertThat(received.get(2, TimeUnit.MINUTES)).hasSize(100).startsWith("echo:m0").endsWith("echo:m99");
	}

	@Test
	void aSixteenMebibyteMessageArrivesWhole() {
		assertThat(EchoGrpc.call(channel(), EchoGrpc.SIZE, "v".repeat(SIXTEEN_MIB)))
			.isEqualTo(Integer.toString(SIXTEEN_MIB));
	}

	@Test
	void aDeadlineEndsTheCallOnBothSides() throws Exception {
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> EchoGrpc.call(channel(), CallOptions.DEFAULT.withDeadlineAfter(500, TimeUnit.MILLISECONDS),
					EchoGrpc.WAIT, "60000"))
			.extracting((ex) -> ex.getStatus().getCode())
			.isEqualTo(Status.Code.DEADLINE_EXCEEDED);
		assertThat(this.service.awaitCancelled()).as("the service saw the deadline pass").isTrue();
	}

	@Test
	void aCancelledCallIsCancelledOnTheServer() throws Exception {
		ListenableFuture<String> call = ClientCalls.futureUnaryCall(channel().newCall(EchoGrpc.WAIT, CallOptions.DEFAULT),
				"60000");
		assertThat(this.service.awaitWaiting()).isTrue();
		call.cancel(true);
		assertThat(this.service.awaitCancelled()).as("the service saw the cancellation").isTrue();
	}

	@Test
	void aPeerWhoseCidIsNotAllowedIsClosedBeforeACallAndCounted() throws Exception {
		VsockGrpcServerFactory factory = new VsockGrpcServerFactory(List.of(), null, null, null);
		factory.setVsockAddress(VsockAddress.of(VsockAddress.CID_ANY, VsockAddress.PORT_ANY));
		factory.setAllowedCids(VsockAllowedCids.parse(List.of("host")));
		factory.addService(new EchoGrpc().bindService());
		Server server = factory.createServer().start();
		ManagedChannel channel = channelTo(factory);
		try {
			assertThatExceptionOfType(StatusRuntimeException.class)
				.isThrownBy(() -> EchoGrpc.call(channel, EchoGrpc.WHO, "let me in"))
				.extracting((ex) -> ex.getStatus().getCode())
				.isEqualTo(Status.Code.UNAVAILABLE);
			assertThat(factory.getVsockListener().counters().notAllowedCount()).isPositive();
			assertThat(factory.getVsockListener().counters().acceptedCount()).isZero();
		}
		finally {
			// Before the server goes, so that the client does not try to reconnect to nothing.
			channel.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
			server.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
			factory.close();
		}
	}

	@Test
	void servesTlsOverVsock() throws Exception {
		VsockGrpcServerFactory factory = new VsockGrpcServerFactory(List.of(), TestTls.serverKeyManagers(), null,
				null);
		factory.setVsockAddress(VsockAddress.of(VsockAddress.CID_ANY, VsockAddress.PORT_ANY));
		factory.addService(ServerInterceptors.intercept(new EchoGrpc().bindService(), new VsockPeerServerInterceptor()));
		Server server = factory.createServer().start();
		EventLoopGroup loops = VsockGrpcChannels.newEventLoopGroup();
		// The test certificate names no host: this client checks that TLS is spoken, not with whom.
		ChannelCredentials tls = TlsChannelCredentials.newBuilder()
			.trustManager(InsecureTrustManagerFactory.INSTANCE.getTrustManagers())
			.build();
		ManagedChannel channel = VsockGrpcChannels
			.forAddress(VsockAddress.of(VsockAddress.CID_LOCAL, factory.getVsockListener().address().port()), tls, loops)
			.build();
		try {
			assertThat(EchoGrpc.call(channel, EchoGrpc.WHO, "tls")).isEqualTo("cid=1|tls");
		}
		finally {
			channel.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
			server.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
			factory.close();
			loops.shutdownGracefully(0, 5, TimeUnit.SECONDS);
		}
	}

	@Test
	void aGracefulShutdownLetsAnInFlightCallFinish() throws Exception {
		VsockGrpcServerFactory factory = new VsockGrpcServerFactory(List.of(), null, null, null);
		factory.setVsockAddress(VsockAddress.of(VsockAddress.CID_ANY, VsockAddress.PORT_ANY));
		EchoGrpc service = new EchoGrpc();
		factory.addService(service.bindService());
		VsockGrpcServerLifecycle lifecycle = new VsockGrpcServerLifecycle(factory, Duration.ofSeconds(60), (event) -> {
		});
		lifecycle.start();
		ManagedChannel channel = channelTo(factory);
		CompletableFuture<String> inFlight = CompletableFuture
			.supplyAsync(() -> EchoGrpc.call(channel, EchoGrpc.WAIT, "3000"));
		assertThat(service.awaitWaiting()).isTrue();
		lifecycle.close();
		assertThat(inFlight.get(2, TimeUnit.MINUTES)).isEqualTo("done");
		assertThat(factory.getVsockListener().isListening()).isFalse();
		channel.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ SslAutoConfiguration.class, GrpcServerAutoConfiguration.class,
			VsockGrpcServerAutoConfiguration.class, GrpcClientAutoConfiguration.class,
			VsockGrpcClientAutoConfiguration.class })
	static class GrpcApplication {

		@Bean
		EchoGrpc echoGrpc() {
			return new EchoGrpc();
		}

	}

}
