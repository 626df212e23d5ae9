package dev.vsock.boot.client;

import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.PrematureCloseException;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.netty.VsockServerChannel;
import dev.vsock.boot.reactor.VsockLoopResources;
import dev.vsock.boot.testsupport.RequiresVsockLoopback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The client's timeouts and retries over vsock loopback: a port nobody listens on, a server that
 * accepts and never answers, a server that starts listening while the client is already trying,
 * and a server that closes every connection under a request, as a guest restored from a snapshot
 * finds its connections; and a connection pool of the caller's own, whose connections to a target
 * close when it is told to. No Spring application: plain Reactor Netty servers on the vsock
 * channel.
 */
@RequiresVsockLoopback
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class VsockClientTimeoutsIT {

	static VsockLoopResources loops;

	@BeforeAll
	static void startLoops() {
		loops = new VsockLoopResources("vsock-timeouts-it", 2);
	}

	@AfterAll
	static void stopLoops() {
		loops.disposeLater().block(Duration.ofSeconds(30));
	}

	@Test
	void aPortWithoutListenerFailsToConnectAtOnceWithoutRetries() {
		long port = freePort();
		assertThatExceptionOfType(WebClientRequestException.class)
			.isThrownBy(() -> get(port, VsockClientSettings.defaults().withConnectTimeout(Duration.ofSeconds(20))))
			.havingRootCause()
			.isInstanceOf(ConnectException.class);
	}

	@Test
	void aServerThatNeverAnswersEndsInAResponseTimeout() throws Exception {
		Channel silent = silentServer();
		try {
			long port = ((VsockAddress) silent.localAddress()).port();
			assertThatExceptionOfType(WebClientRequestException.class)
				.isThrownBy(() -> get(port, VsockClientSettings.defaults().withResponseTimeout(Duration.ofSeconds(2))))
				.havingRootCause()
				.isInstanceOf(ReadTimeoutException.class);
		}
		finally {
			silent.close().sync();
		}
	}

	@Test
	void connectRetriesWaitForAListenerThatStartsLate() throws Exception {
		long port = freePort();
		AtomicInteger attempts = new AtomicInteger();
		HttpClient client = VsockClients
			.httpClient(VsockAddress.of(VsockAddress.CID_LOCAL, port),
					VsockClientSettings.defaults().withConnectRetries(60, Duration.ofMillis(100)))
			.doOnConnect((config) -> attempts.incrementAndGet());
		CompletableFuture<String> answer = client.get()
			.uri("/late")
			.responseContent()
			.aggregate()
			.asString()
			.toFuture();
		while (attempts.get() < 2) {
			assertThat(answer).as("no answer before anything listens").isNotDone();
			Thread.sleep(50);
		}
		DisposableServer late = HttpServer.create()
			.bindAddress(() -> VsockAddress.of(VsockAddress.CID_ANY, port))
			.runOn(loops, false)
			.handle((request, response) -> response.sendString(Mono.just("late but here")))
			.bindNow(Duration.ofMinutes(1));
		try {
			assertThat(answer.get(2, TimeUnit.MINUTES)).isEqualTo("late but here");
			assertThat(attempts.get()).as("refused at least once, then connected").isGreaterThanOrEqualTo(2);
		}
		finally {
			late.disposeNow(Duration.ofSeconds(30));
		}
	}

	@Test
	void anIdempotentRequestWhoseConnectionWasClosedUnderItIsSentAgainWhenAsked() throws Exception {
		try (ResettingServer server = new ResettingServer(1)) {
			WebClient client = VsockClients.webClient(VsockAddress.CID_LOCAL, server.port(),
					VsockClientSettings.defaults().withRequestRetries(3));
			assertThat(client.get().uri("/").retrieve().bodyToMono(String.class).block(Duration.ofMinutes(1)))
				.isEqualTo("answered request 2");
		}
		try (ResettingServer server = new ResettingServer(1)) {
			RestClient client = VsockClients.restClient(VsockAddress.CID_LOCAL, server.port(),
					VsockClientSettings.defaults().withRequestRetries(3));
			assertThat(client.put().uri("/").body("the same twice").retrieve().body(String.class))
				.as("sent again with its body, which the server read the second time")
				.isEqualTo("answered request 2: the same twice");
		}
	}

	@Test
	void withoutRetriesOrForAPostTheResetIsTheCallersToSee() throws Exception {
		try (ResettingServer server = new ResettingServer(1)) {
			assertThatExceptionOfType(WebClientRequestException.class)
				.isThrownBy(() -> get(server.port(), VsockClientSettings.defaults()))
				.havingRootCause()
				.isInstanceOf(PrematureCloseException.class);
		}
		try (ResettingServer server = new ResettingServer(1)) {
			RestClient client = VsockClients.restClient(VsockAddress.CID_LOCAL, server.port(),
					VsockClientSettings.defaults().withRequestRetries(3));
			assertThatExceptionOfType(ResourceAccessException.class)
				.isThrownBy(() -> client.post().uri("/").body("once only").retrieve().body(String.class));
			assertThat(server.requests()).as("a POST is never sent twice").isEqualTo(1);
		}
	}

	@Test
	void retriesEndAfterTheAttemptsGiven() throws Exception {
		try (ResettingServer server = new ResettingServer(5)) {
			assertThatExceptionOfType(WebClientRequestException.class)
				.isThrownBy(() -> get(server.port(), VsockClientSettings.defaults().withRequestRetries(3)))
				.havingRootCause()
				.isInstanceOf(PrematureCloseException.class);
			assertThat(server.requests()).isEqualTo(3);
		}
	}

	@Test
	void aPoolOfTheCallersOwnClosesItsConnectionsToATargetWhenToldTo() throws Exception {
		ConnectionProvider pool = ConnectionProvider.create("timeouts-it", 8);
		try (ResettingServer server = new ResettingServer(0)) {
			VsockAddress target = VsockAddress.of(VsockAddress.CID_LOCAL, server.port());
			HttpClient client = VsockClients.httpClient(target, pool);
			Mono<String> get = client.get().uri("/").responseContent().aggregate().asString();
			assertThat(Flux.range(0, 3).flatMap((i) -> get, 3).collectList().block(Duration.ofMinutes(1))).hasSize(3);
			assertThat(server.openConnections()).as("kept alive in the pool").isPositive();
			pool.disposeWhen(target);
			await().atMost(Duration.ofMinutes(1)).until(() -> server.openConnections() == 0);
			assertThat(get.block(Duration.ofMinutes(1))).as("a new connection after").isEqualTo("answered request 4");
		}
		finally {
			pool.dispose();
		}
	}

	/**
	 * A server that closes every connection it has when one of its first requests arrives, as a
	 * snapshot restore closes a guest's connections while its listeners stay, then answers.
	 */
	private static final class ResettingServer implements AutoCloseable {

		private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

		private final AtomicInteger requests = new AtomicInteger();

		private final DisposableServer server;

		ResettingServer(int resets) {
			this.server = HttpServer.create()
				.bindAddress(() -> VsockAddress.of(VsockAddress.CID_ANY, VsockAddress.PORT_ANY))
				.runOn(loops, false)
				.doOnConnection((connection) -> this.connections.add(connection.channel()))
				.handle((request, response) -> {
					int number = this.requests.incrementAndGet();
					if (number <= resets) {
						this.connections.close();
						return Mono.never();
					}
					return request.receive()
						.aggregate()
						.asString()
						.defaultIfEmpty("")
						.flatMap((body) -> response
							.sendString(Mono.just("answered request " + number + (body.isEmpty() ? "" : ": " + body)))
							.then());
				})
				.bindNow(Duration.ofMinutes(1));
		}

		long port() {
			return ((VsockAddress) this.server.channel().localAddress()).port();
		}

		int requests() {
			return this.requests.get();
		}

		int openConnections() {
			return this.connections.size();
		}

		@Override
		public void close() {
			this.server.disposeNow(Duration.ofSeconds(30));
		}

	}

	private static String get(long port, VsockClientSettings settings) {
		return VsockClients.webClient(VsockAddress.CID_LOCAL, port, settings)
			.get()
			.uri("/")
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofMinutes(1));
	}

	/**
	 * A server that accepts connections and never reads or answers, on a port the kernel picks.
	 */
	private static Channel silentServer() {
		return new ServerBootstrap().group(loops.onServerSelect(false), loops.onServer(false))
			.channel(VsockServerChannel.class)
			.childHandler(new ChannelInboundHandlerAdapter())
			.bind(VsockAddress.of(VsockAddress.CID_ANY, VsockAddress.PORT_ANY))
			.syncUninterruptibly()
			.channel();
	}

	/**
	 * A port that was free a moment ago: bound with port any, read back, closed.
	 */
	private static long freePort() {
		Channel probe = silentServer();
		long port = ((VsockAddress) probe.localAddress()).port();
		probe.close().syncUninterruptibly();
		return port;
	}

}
