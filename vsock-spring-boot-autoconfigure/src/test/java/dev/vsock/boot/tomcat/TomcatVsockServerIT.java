package dev.vsock.boot.tomcat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.vsock.boot.test.RequiresVsockLoopback;
import dev.vsock.boot.test.VsockHttpClient;
import dev.vsock.boot.test.VsockRawClient;
import dev.vsock.boot.test.VsockWebSocketClient;
import dev.vsock.boot.web.LocalVsockPort;
import dev.vsock.boot.web.VsockConnectionCounters;
import dev.vsock.boot.web.VsockListener;
import dev.vsock.boot.web.VsockListeners;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring MVC application on Tomcat serving on TCP and on vsock at once, the vsock port picked by
 * the kernel, reached over vsock loopback inside the test guest.
 */
@RequiresVsockLoopback
@SpringBootTest(classes = TomcatVsockApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.vsock.port=0", "server.vsock.allowed-cids=local",
				"management.endpoints.web.exposure.include=health,metrics",
				"management.endpoint.health.show-details=always" })
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TomcatVsockServerIT {

	@LocalVsockPort
	long vsockPort;

	@LocalServerPort
	int tcpPort;

	@Autowired
	VsockListeners listeners;

	@Test
	@Tag("smoke")
	void servesOverVsockAndTheControllerSeesThePeersCid() throws Exception {
		try (VsockHttpClient client = VsockHttpClient.connectLocal(this.vsockPort)) {
			FullHttpResponse response = client.get("/peer");
			assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
			assertThat(VsockHttpClient.text(response))
				.isEqualTo("cid=1 port=" + client.localAddress().port() + " local=" + this.vsockPort);
		}
	}

	@Test
	void theServletApiSeesTheCidsAsIpv4LiteralsThatSpringCanParse() throws Exception {
		try (VsockHttpClient client = VsockHttpClient.connectLocal(this.vsockPort)) {
			long clientPort = client.localAddress().port();
			long remotePort = (clientPort <= 65535) ? clientPort : 0;
			long localPort = (this.vsockPort <= 65535) ? this.vsockPort : 0;
			assertThat(VsockHttpClient.text(client.get("/remote")))
				.isEqualTo("0.0.0.1 " + remotePort + " 0.0.0.1 " + localPort + " /0.0.0.1:" + remotePort);
		}
	}

	@Test
	void thePortTheKernelPickedIsPublishedAndTheListenerIsRegistered() {
		assertThat(this.vsockPort).isGreaterThan(1023L);
		assertThat(this.listeners.all()).singleElement().satisfies((VsockListener listener) -> {
			assertThat(listener.serverKind()).isEqualTo("tomcat");
			assertThat(listener.isListening()).isTrue();
			assertThat(listener.address().port()).isEqualTo(this.vsockPort);
			assertThat(listener.address().isAnyCid()).isTrue();
		});
	}

	@Test
	void keepsTheConnectionAliveBetweenRequests() throws Exception {
		try (VsockHttpClient client = VsockHttpClient.connectLocal(this.vsockPort)) {
			String first = VsockHttpClient.text(client.get("/peer"));
			String second = VsockHttpClient.text(client.get("/peer"));
			String third = VsockHttpClient.text(client.get("/peer"));
			assertThat(second).isEqualTo(first).isEqualTo(third).contains("port=" + client.localAddress().port());
			assertThat(client.isOpen()).isTrue();
			assertThat(this.listeners.all().get(0).openConnections()).isGreaterThanOrEqualTo(1);
		}
	}

	@Test
	void receives32MebibytesUnchanged() throws Exception {
		byte[] body = TomcatVsockApplication.pattern(32 * 1024 * 1024);
		try (VsockHttpClient client = VsockHttpClient.connectLocal(this.vsockPort)) {
			FullHttpResponse response = client.post("/upload", "application/octet-stream", body);
			assertThat(VsockHttpClient.text(response)).isEqualTo(body.length + " " + crc(body));
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
			assertThat(crc(received)).isEqualTo(crc(TomcatVsockApplication.pattern(size)));
			assertThat(VsockHttpClient.text(client.get("/peer"))).as("the connection serves on").startsWith("cid=1 ");
		}
	}

	@Test
	void streamsServerSentEventsFromAnAsyncRequest() throws Exception {
		try (VsockHttpClient client = VsockHttpClient.connectLocal(this.vsockPort)) {
			FullHttpResponse response = client.get("/events");
			assertThat(response.headers().get("Content-Type")).startsWith("text/event-stream");
			assertThat(VsockHttpClient.text(response)).isEqualTo("data:one\n\ndata:two\n\ndata:three\n\n");
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
		assertThat(answer).startsWith("HTTP/1.1 200 ").endsWith("11 " + crc("hello world".getBytes()));
	}

	@Test
	void completesACallable() throws Exception {
		try (VsockHttpClient client = VsockHttpClient.connectLocal(this.vsockPort)) {
			assertThat(VsockHttpClient.text(client.get("/callable"))).isEqualTo("callable done");
		}
	}

	@Test
	void echoesWithServletNonBlockingIo() throws Exception {
		byte[] body = TomcatVsockApplication.pattern(4 * 1024 * 1024);
		try (VsockHttpClient client = VsockHttpClient.connectLocal(this.vsockPort)) {
			FullHttpResponse response = client.post("/nio-echo", "application/octet-stream", body);
			assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
			byte[] echoed = ByteBufUtil.getBytes(response.content());
			assertThat(echoed).hasSize(body.length);
			assertThat(crc(echoed)).isEqualTo(crc(body));
		}
	}

	@Test
	void echoesOverAJakartaWebSocketEndpoint() throws Exception {
		try (VsockWebSocketClient client = VsockWebSocketClient.connectLocal(this.vsockPort, "/jakarta-echo")) {
			assertThat(client.exchange("hello")).isEqualTo("jakarta:hello");
		}
	}

	@Test
	void healthOverVsockShowsTheGuestsTransportsAndThisListener() throws Exception {
		try (VsockHttpClient client = VsockHttpClient.connectLocal(this.vsockPort)) {
			FullHttpResponse response = client.get("/actuator/health/vsock");
			assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
			assertThat(VsockHttpClient.text(response)).contains("\"status\":\"UP\"")
				.contains("\"loopback\":{\"available\":true,\"driver\":\"loopback\"}")
				.contains("\"kind\":\"tomcat\"")
				.contains("\"port\":" + this.vsockPort + ",\"state\":\"listening\"");
		}
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
	void echoesOverAWebSocket() throws Exception {
		try (VsockWebSocketClient client = VsockWebSocketClient.connectLocal(this.vsockPort, "/echo")) {
			assertThat(client.exchange("hello")).isEqualTo("echo:hello");
			assertThat(client.exchange("again")).isEqualTo("echo:again");
		}
	}

	@Test
	void servesTheSameApplicationOverTcp() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.tcpPort + "/peer")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("tcp");
	}

	private static long crc(byte[] bytes) {
		CRC32 crc = new CRC32();
		crc.update(bytes);
		return crc.getValue();
	}

}
