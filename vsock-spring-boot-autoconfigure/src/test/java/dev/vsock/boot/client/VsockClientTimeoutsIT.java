package dev.vsock.boot.client;

import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.ReadTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

import org.springframework.web.reactive.function.client.WebClientRequestException;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.netty.VsockServerChannel;
import dev.vsock.boot.reactor.VsockLoopResources;
import dev.vsock.boot.testsupport.RequiresVsockLoopback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The client's timeouts and connect retries over vsock loopback: a port nobody listens on, a
 * server that accepts and never answers, and a server that starts listening while the client is
 * already trying. No Spring application: plain Reactor Netty servers on the vsock channel.
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
