package dev.vsock.boot.tomcat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.vsock.boot.testsupport.RequiresVsockLoopback;
import dev.vsock.boot.testsupport.VsockHttpClient;
import dev.vsock.boot.testsupport.VsockRawClient;
import dev.vsock.boot.testsupport.VsockServerChecks;
import dev.vsock.boot.testsupport.VsockWebServerContractTests;
import dev.vsock.boot.web.VsockConnectionCounters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Spring MVC application on Tomcat serving on TCP and on vsock at once, the vsock port picked by
 * the kernel, reached over vsock loopback inside the test guest.
 */
@RequiresVsockLoopback
@SpringBootTest(classes = TomcatVsockApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.vsock.port=0", "server.vsock.allowed-cids=local", "server.vsock.buffer-size=1MB",
				"management.endpoints.web.exposure.include=health,metrics",
				"management.endpoint.health.show-details=always", "server.forward-headers-strategy=native",
				"server.tomcat.remoteip.internal-proxies=100:0:0:0:0:0:0:1/128", "server.tomcat.accesslog.enabled=true",
				"server.tomcat.accesslog.buffered=false", "server.tomcat.accesslog.request-attributes-enabled=true",
				"server.tomcat.accesslog.pattern=%a %r %s",
				"server.tomcat.accesslog.directory=${java.io.tmpdir}/tomcat-vsock-it-access",
				"server.tomcat.accesslog.prefix=access", "server.tomcat.accesslog.suffix=.log" })
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TomcatVsockServerIT extends VsockWebServerContractTests {

	/** CID 1 as the servlet API sees it (see {@link VsockPeerAddressLiteralTest}). */
	private static final String LOOPBACK = "100:0:0:0:0:0:0:1";

	@Override
	protected String serverKind() {
		return "tomcat";
	}

	@Test
	void theServletApiSeesTheCidsAsIpv6LiteralsThatSpringCanParse() throws Exception {
		try (VsockHttpClient client = VsockHttpClient.connectLocal(this.vsockPort)) {
			long clientPort = client.localAddress().port();
			long remotePort = (clientPort <= 65535) ? clientPort : 0;
			long localPort = (this.vsockPort <= 65535) ? this.vsockPort : 0;
			assertThat(VsockHttpClient.text(client.get("/remote")))
				.isEqualTo(LOOPBACK + " " + remotePort + " " + LOOPBACK + " " + localPort + " /[" + LOOPBACK + "]:"
						+ remotePort);
		}
	}

	@Test
	void sends32MebibytesUnchanged() throws Exception {
		int size = 32 * 1024 * 1024;
		try (VsockHttpClient client = VsockHttpClient.connectLocal(this.vsockPort)) {
			FullHttpResponse response = client.get("/download?size=" + size);
			assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
			byte[] received = ByteBufUtil.getBytes(response.content());
			assertThat(received).hasSize(size);
			assertThat(VsockServerChecks.crc(received)).isEqualTo(VsockServerChecks.crc(VsockServerChecks.pattern(size)));
			assertThat(VsockHttpClient.text(client.get("/peer"))).as("the connection serves on").startsWith("cid=1 ");
		}
	}

	@Test
	void completesADeferredResult() throws Exception {
		try (VsockHttpClient client = VsockHttpClient.connectLocal(this.vsockPort)) {
			assertThat(VsockHttpClient.text(client.get("/deferred"))).isEqualTo("deferred done");
			assertThat(VsockHttpClient.text(client.get("/deferred"))).isEqualTo("deferred done");
		}
	}

	@Test
	void answersPipelinedRequestsInOrder() throws Exception {
		String one = "GET /peer HTTP/1.1\r\nHost: vsock\r\n\r\n";
		String two = "GET /deferred HTTP/1.1\r\nHost: vsock\r\nConnection: close\r\n\r\n";
		String answers = VsockRawClient.exchange(this.vsockPort, one + two);
		assertThat(answers.split("HTTP/1.1 200 ", -1)).hasSize(3);
		assertThat(answers.indexOf("cid=1 ")).isPositive().isLessThan(answers.indexOf("deferred done"));
	}

	@Test
	void readsAChunkedRequestBody() throws Exception {
		String answer = VsockRawClient.exchange(this.vsockPort,
				"POST /upload HTTP/1.1\r\nHost: vsock\r\nContent-Type: application/octet-stream\r\n"
						+ "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
						+ "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
		assertThat(answer).startsWith("HTTP/1.1 200 ").endsWith("11 " + VsockServerChecks.crc("hello world".getBytes()));
	}

	@Test
	void completesACallable() throws Exception {
		try (VsockHttpClient client = VsockHttpClient.connectLocal(this.vsockPort)) {
			assertThat(VsockHttpClient.text(client.get("/callable"))).isEqualTo("callable done");
		}
	}

	@Test
	void echoesWithServletNonBlockingIo() throws Exception {
		byte[] body = VsockServerChecks.pattern(4 * 1024 * 1024);
		try (VsockHttpClient client = VsockHttpClient.connectLocal(this.vsockPort)) {
			FullHttpResponse response = client.post("/nio-echo", "application/octet-stream", body);
			assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
			byte[] echoed = ByteBufUtil.getBytes(response.content());
			assertThat(echoed).hasSize(body.length);
			assertThat(VsockServerChecks.crc(echoed)).isEqualTo(VsockServerChecks.crc(body));
		}
	}

	@Test
	void echoesOverAJakartaWebSocketEndpoint() throws Exception {
		VsockServerChecks.echoesOverAWebSocket(this.vsockPort, "/jakarta-echo", "jakarta:");
	}

	@Test
	void metricsOverVsockCountThisListenersConnectionsAndBytes() throws Exception {
		try (VsockHttpClient client = VsockHttpClient.connectLocal(this.vsockPort)) {
			client.get("/peer");
			String accepted = VsockHttpClient.text(client.get("/actuator/metrics/vsock.connections.accepted"));
			assertThat(accepted).contains("\"name\":\"vsock.connections.accepted\"")
				.contains("\"baseUnit\":\"connections\"")
				.contains("{\"tag\":\"server\",\"values\":[\"tomcat\"]}")
				.contains("{\"tag\":\"port\",\"values\":[\"" + this.vsockPort + "\"]}");
			String received = VsockHttpClient.text(client.get("/actuator/metrics/vsock.bytes.received"));
			assertThat(received).contains("\"baseUnit\":\"bytes\"");
			String loopback = VsockHttpClient
				.text(client.get("/actuator/metrics/vsock.transport.available?tag=transport:loopback"));
			assertThat(loopback).contains("{\"statistic\":\"VALUE\",\"value\":1.0}");
		}
		VsockConnectionCounters counters = this.listeners.all().get(0).counters();
		assertThat(counters.acceptedCount()).isGreaterThanOrEqualTo(1);
		assertThat(counters.notAllowedCount()).as("server.vsock.allowed-cids=local admits CID 1").isZero();
		assertThat(counters.receivedBytes()).isGreaterThan(0);
		assertThat(counters.sentBytes()).isGreaterThan(0);
	}

	@Test
	void remoteIpValveAndTheAccessLogWorkWithTheCidLiteral() throws Exception {
		try (VsockHttpClient client = VsockHttpClient.connectLocal(this.vsockPort)) {
			DefaultFullHttpRequest forwarded = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
					"/remote?forwarded");
			forwarded.headers().set(HttpHeaderNames.HOST, "vsock").set("X-Forwarded-For", "203.0.113.7");
			assertThat(VsockHttpClient.text(client.exchange(forwarded)))
				.as("RemoteIpValve trusts the loopback CID as configured and takes the forwarded address")
				.startsWith("203.0.113.7 ");
			assertThat(VsockHttpClient.text(client.get("/remote?direct"))).startsWith(LOOPBACK + " ");
		}
		// Tomcat writes the access log line after it has finished the response, so the
		// client can hold its answer before the line is written: wait for it.
		await().atMost(Duration.ofMinutes(1))
			.untilAsserted(() -> assertThat(accessLogLines()).contains("203.0.113.7 GET /remote?forwarded HTTP/1.1 200",
					LOOPBACK + " GET /remote?direct HTTP/1.1 200"));
	}

	private static List<String> accessLogLines() throws IOException {
		Path logs = Path.of(System.getProperty("java.io.tmpdir"), "tomcat-vsock-it-access");
		try (Stream<Path> files = Files.list(logs)) {
			return files.filter((file) -> file.getFileName().toString().startsWith("access"))
				.flatMap(TomcatVsockServerIT::lines)
				.toList();
		}
	}

	@Test
	void theHealthShowsTheBufferSizeTheKernelGaveTheListener() throws Exception {
		try (VsockHttpClient client = VsockHttpClient.connectLocal(this.vsockPort)) {
			assertThat(VsockHttpClient.text(client.get("/actuator/health/vsock"))).contains("\"bufferSize\":1048576");
		}
	}

	@Test
	void servesTwoHundredConcurrentKeepAliveClients() throws Exception {
		int clients = 200;
		ExecutorService threads = Executors.newFixedThreadPool(clients);
		try {
			List<Future<List<String>>> answers = new ArrayList<>();
			CountDownLatch allConnected = new CountDownLatch(clients);
			for (int i = 0; i < clients; i++) {
				answers.add(threads.submit(() -> {
					try (VsockHttpClient client = VsockHttpClient.connectLocal(this.vsockPort)) {
						allConnected.countDown();
						allConnected.await();
						String first = VsockHttpClient.text(client.get("/peer"));
						String second = VsockHttpClient.text(client.get("/peer"));
						return List.of(first, second, "cid=1 port=" + client.localAddress().port() + " local="
								+ this.vsockPort);
					}
				}));
			}
			for (Future<List<String>> answer : answers) {
				List<String> exchange = answer.get(4, TimeUnit.MINUTES);
				assertThat(exchange.get(0)).as("each client's own connection, kept alive for its second request")
					.isEqualTo(exchange.get(2));
				assertThat(exchange.get(1)).isEqualTo(exchange.get(2));
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

	private static Stream<String> lines(Path file) {
		try {
			return Files.readAllLines(file).stream();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
