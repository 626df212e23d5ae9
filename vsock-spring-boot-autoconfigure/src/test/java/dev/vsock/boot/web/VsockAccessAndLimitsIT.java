package dev.vsock.boot.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.handler.codec.http.FullHttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;

import org.springframework.boot.web.server.WebServer;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.server.reactive.HttpHandler;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.VsockAllowedCids;
import dev.vsock.boot.reactor.VsockNettyReactiveWebServerFactory;
import dev.vsock.boot.testsupport.RequiresVsockLoopback;
import dev.vsock.boot.testsupport.VsockHttpClient;
import dev.vsock.boot.testsupport.VsockRawClient;
import dev.vsock.boot.tomcat.VsockTomcatServletWebServerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * {@code server.vsock.allowed-cids} and {@code allow-local} on both servers,
 * {@code server.vsock.max-connections} on Reactor Netty and {@code server.tomcat.max-connections}
 * on Tomcat (a client over the limit waits in the kernel's backlog and is served when a connection
 * closes: none is lost), and the counts the metrics read: a peer
 * that is not allowed is closed before a byte is read, an allowed one is served and its bytes are
 * counted. Servers without an application context, so that the guest spends no time on one.
 */
@RequiresVsockLoopback
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class VsockAccessAndLimitsIT {

	private static final VsockAddress ANY_PORT = VsockAddress.of(VsockAddress.CID_ANY, VsockAddress.PORT_ANY);

	private final VsockListeners listeners = new VsockListeners();

	private WebServer server;

	@AfterEach
	void stop() {
		if (this.server != null) {
			this.server.stop();
			this.server.destroy();
		}
	}

	@Test
	void tomcatClosesAPeerThatIsNotAllowedAndCountsWhatItServes() throws Exception {
		VsockTomcatServletWebServerFactory refusing = new VsockTomcatServletWebServerFactory(ANY_PORT, this.listeners);
		refusing.setPort(-1);
		refusing.setAllowedCids(VsockAllowedCids.parse(List.of("host")));
		assertRefusesLoopback(refusing.getWebServer());
		stop();
		VsockTomcatServletWebServerFactory admitting = new VsockTomcatServletWebServerFactory(ANY_PORT,
				this.listeners);
		admitting.setPort(-1);
		admitting.setAllowedCids(VsockAllowedCids.parse(List.of("local")));
		// No servlet: Tomcat answers 404, which is a response all the same.
		assertServesLoopback(admitting.getWebServer(), 404);
	}

	@Test
	void reactorNettyClosesAPeerThatIsNotAllowedAndCountsWhatItServes() throws Exception {
		HttpHandler ok = (request, response) -> {
			DataBuffer body = response.bufferFactory().wrap("ok".getBytes());
			return response.writeWith(Mono.just(body));
		};
		VsockNettyReactiveWebServerFactory refusing = new VsockNettyReactiveWebServerFactory(ANY_PORT,
				this.listeners);
		refusing.setPort(-1);
		refusing.setAllowedCids(VsockAllowedCids.ANY.withLocal(false));
		assertRefusesLoopback(refusing.getWebServer(ok));
		stop();
		VsockNettyReactiveWebServerFactory admitting = new VsockNettyReactiveWebServerFactory(ANY_PORT,
				this.listeners);
		admitting.setPort(-1);
		admitting.setAllowedCids(VsockAllowedCids.parse(List.of("local")));
		assertServesLoopback(admitting.getWebServer(ok), 200);
	}

	@Test
	void reactorNettyClosesConnectionsOverItsLimitAndAdmitsAgainWhenOneCloses() throws Exception {
		HttpHandler ok = (request, response) -> response
			.writeWith(Mono.just(response.bufferFactory().wrap("ok".getBytes())));
		VsockNettyReactiveWebServerFactory factory = new VsockNettyReactiveWebServerFactory(ANY_PORT, this.listeners);
		factory.setPort(-1);
		factory.setMaxConnections(1);
		this.server = factory.getWebServer(ok);
		this.server.start();
		VsockListener listener = (VsockListener) this.server;
		long port = listener.address().port();
		try (VsockHttpClient first = VsockHttpClient.connectLocal(port)) {
			assertThat(VsockHttpClient.text(first.get("/"))).isEqualTo("ok");
			try (VsockHttpClient second = VsockHttpClient.connectLocal(port)) {
				// Refused: the request's write fails, or the connection closes before a response.
				assertThatException().isThrownBy(() -> second.get("/"));
			}
			assertThat(listener.counters().overLimitCount()).isEqualTo(1);
			assertThat(listener.openConnections()).isEqualTo(1);
		}
		await().atMost(Duration.ofMinutes(1)).until(() -> listener.openConnections() == 0);
		try (VsockHttpClient third = VsockHttpClient.connectLocal(port)) {
			assertThat(VsockHttpClient.text(third.get("/"))).isEqualTo("ok");
		}
		assertThat(listener.counters().acceptedCount()).isEqualTo(2);
	}

	@Test
	void tomcatMakesAClientOverMaxConnectionsWaitAndServesItWhenAConnectionCloses() throws Exception {
		VsockTomcatServletWebServerFactory factory = new VsockTomcatServletWebServerFactory(ANY_PORT,
				this.listeners);
		factory.setPort(-1);
		factory.addConnectorCustomizers((connector) -> connector.setProperty("maxConnections", "1"));
		this.server = factory.getWebServer();
		this.server.start();
		VsockListener listener = (VsockListener) this.server;
		long port = listener.address().port();
		VsockHttpClient first = VsockHttpClient.connectLocal(port);
		VsockHttpClient second = null;
		try {
			assertThat(first.get("/").status().code()).isEqualTo(404);
			second = VsockHttpClient.connectLocal(port);
			VsockHttpClient waiting = second;
			CompletableFuture<FullHttpResponse> answer = CompletableFuture.supplyAsync(() -> {
				try {
					return waiting.get("/");
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			assertThat(listener.openConnections()).as("the second client is not accepted yet").isEqualTo(1);
			assertThat(answer).isNotDone();
			first.close();
			assertThat(answer.get(1, TimeUnit.MINUTES).status().code()).isEqualTo(404);
			assertThat(listener.counters().acceptedCount()).isEqualTo(2);
		}
		finally {
			first.close();
			if (second != null) {
				second.close();
			}
		}
	}

	private void assertRefusesLoopback(WebServer server) throws Exception {
		this.server = server;
		server.start();
		VsockListener listener = (VsockListener) server;
		try (VsockHttpClient client = VsockHttpClient.connectLocal(listener.address().port())) {
			// Refused: the request's write fails, or the connection closes before a response.
			assertThatException().isThrownBy(() -> client.get("/"));
		}
		assertThat(listener.counters().notAllowedCount()).isEqualTo(1);
		assertThat(listener.counters().acceptedCount()).isZero();
		assertThat(listener.counters().receivedBytes()).isZero();
	}

	private void assertServesLoopback(WebServer server, int status) throws Exception {
		this.server = server;
		server.start();
		VsockListener listener = (VsockListener) server;
		byte[] request = "GET / HTTP/1.1\r\nHost: vsock\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
		byte[] response = VsockRawClient.exchange(listener.address().port(), request);
		assertThat(new String(response, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 " + status + " ");
		await().atMost(Duration.ofMinutes(1)).until(() -> listener.openConnections() == 0);
		assertThat(listener.counters().notAllowedCount()).isZero();
		assertThat(listener.counters().acceptedCount()).isEqualTo(1);
		assertThat(listener.counters().receivedBytes()).as("the request, byte for byte").isEqualTo(request.length);
		assertThat(listener.counters().sentBytes()).as("the response, byte for byte").isEqualTo(response.length);
	}

}
