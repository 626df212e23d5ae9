package dev.vsock.boot.hybrid;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vsock.boot.grpc.VsockGrpcChannels;
import dev.vsock.boot.testsupport.EchoGrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * gRPC channels from the host to a guest's port through hybrid vsock (Firecracker, Cloud
 * Hypervisor): each connection goes to the VMM's Unix socket and asks for the port with
 * {@code CONNECT <port>}, here against a muxer written from Firecracker's documentation and a
 * "guest" gRPC server on a Unix socket.
 */
class HybridVsockGrpcTest {

	@TempDir
	Path directory;

	private EventLoopGroup loops;

	private Server guest;

	private FirecrackerVsockMuxer muxer;

	private Path udsPath;

	private final AtomicInteger failures = new AtomicInteger();

	private final AtomicInteger attempts = new AtomicInteger();

	@BeforeEach
	void startGuestAndVmm() throws Exception {
		this.loops = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
		Path guestListener = this.directory.resolve("guest_52");
		this.guest = NettyServerBuilder.forAddress(new DomainSocketAddress(guestListener.toFile()))
			.channelType(EpollServerDomainSocketChannel.class)
			.bossEventLoopGroup(this.loops)
			.workerEventLoopGroup(this.loops)
			.addService(ServerInterceptors.intercept(new EchoGrpc(), new FailingFirstCalls()))
			.build()
			.start();
		this.udsPath = this.directory.resolve("v.sock");
		this.muxer = new FirecrackerVsockMuxer(this.udsPath, (port) -> (port == 52) ? guestListener : null);
	}

	@AfterEach
	void stop() throws Exception {
		this.muxer.close();
		this.guest.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
		this.loops.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
	}

	@Test
	void callsTheGuestPortThroughTheVmmOverOneConnection() throws Exception {
		ManagedChannel channel = hybridChannel(52);
		try {
			assertThat(EchoGrpc.call(channel, EchoGrpc.WHO, "hi")).isEqualTo("cid=none|hi");
			assertThat(EchoGrpc.count(channel, 100)).toIterable().hasSize(100).endsWith("100");
			assertThat(this.muxer.commands()).as("HTTP/2 multiplexes the calls: one CONNECT")
				.containsExactly("CONNECT 52");
		}
		finally {
			channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void aGuestPortWithoutListenerFailsTheCallAsUnavailable() throws Exception {
		ManagedChannel channel = hybridChannel(53);
		try {
			assertThatExceptionOfType(StatusRuntimeException.class)
				.isThrownBy(() -> EchoGrpc.call(channel, EchoGrpc.WHO, "hi"))
				.extracting((ex) -> ex.getStatus().getCode())
				.isEqualTo(Status.Code.UNAVAILABLE);
			assertThat(this.muxer.commands()).startsWith("CONNECT 53");
		}
		finally {
			channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void retriesACallAsTheChannelsServiceConfigSays() throws Exception {
		Map<String, ?> retryPolicy = Map.of("maxAttempts", 3.0, "initialBackoff", "0.05s", "maxBackoff", "0.5s",
				"backoffMultiplier", 2.0, "retryableStatusCodes", List.of("UNAVAILABLE"));
		Map<String, ?> serviceConfig = Map.of("methodConfig",
				List.of(Map.of("name", List.of(Map.of("service", EchoGrpc.SERVICE)), "retryPolicy", retryPolicy)));
		ManagedChannel channel = VsockGrpcChannels
			.forHybrid(this.udsPath, 52, Duration.ofSeconds(10), InsecureChannelCredentials.create(), this.loops)
			.defaultServiceConfig(serviceConfig)
			.enableRetry()
			.build();
		try {
			this.failures.set(2);
			assertThat(EchoGrpc.call(channel, EchoGrpc.WHO, "again")).isEqualTo("cid=none|again");
			assertThat(this.attempts).as("two attempts refused, the third answered").hasValue(3);
			this.failures.set(3);
			assertThatExceptionOfType(StatusRuntimeException.class)
				.isThrownBy(() -> EchoGrpc.call(channel, EchoGrpc.WHO, "no more"))
				.extracting((ex) -> ex.getStatus().getCode())
				.isEqualTo(Status.Code.UNAVAILABLE);
			assertThat(this.attempts).as("maxAttempts 3: three more, then the failure").hasValue(6);
		}
		finally {
			channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
		}
	}

	private ManagedChannel hybridChannel(long port) {
		return VsockGrpcChannels
			.forHybrid(this.udsPath, port, Duration.ofSeconds(10), InsecureChannelCredentials.create(), this.loops)
			.build();
	}

	/** Counts the calls that reach the server and refuses as many as asked, as UNAVAILABLE. */
	private final class FailingFirstCalls implements ServerInterceptor {

		@Override
		public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
				ServerCallHandler<Q, A> next) {
			HybridVsockGrpcTest.this.attempts.incrementAndGet();
			if (HybridVsockGrpcTest.this.failures.getAndUpdate((left) -> Math.max(0, left - 1)) > 0) {
				call.close(Status.UNAVAILABLE.withDescription("refused by the test"), new Metadata());
				return new ServerCall.Listener<>() {
				};
			}
			return next.startCall(call, headers);
		}

	}

}
