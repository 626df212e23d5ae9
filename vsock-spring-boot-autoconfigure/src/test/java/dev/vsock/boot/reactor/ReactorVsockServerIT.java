package dev.vsock.boot.reactor;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

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
import dev.vsock.boot.test.VsockWebSocketClient;
import dev.vsock.boot.web.LocalVsockPort;
import dev.vsock.boot.web.VsockListener;
import dev.vsock.boot.web.VsockListeners;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WebFlux application on Reactor Netty serving on TCP and on vsock at once, the vsock port
 * picked by the kernel, reached over vsock loopback inside the test guest.
 */
@RequiresVsockLoopback
@SpringBootTest(classes = ReactorVsockApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "server.vsock.port=0", "management.endpoints.web.exposure.include=health",
				"management.endpoint.health.show-details=always" })
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ReactorVsockServerIT {

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
	void thePortTheKernelPickedIsPublishedAndTheListenerIsRegistered() {
		assertThat(this.vsockPort).isGreaterThan(1023L);
		assertThat(this.listeners.all()).singleElement().satisfies((VsockListener listener) -> {
			assertThat(listener.serverKind()).isEqualTo("reactor-netty");
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
			assertThat(second).isEqualTo(first).contains("port=" + client.localAddress().port());
			assertThat(client.isOpen()).isTrue();
			assertThat(this.listeners.all().get(0).openConnections()).isGreaterThanOrEqualTo(1);
		}
	}

	@Test
	void receives32MebibytesUnchanged() throws Exception {
		byte[] body = new byte[32 * 1024 * 1024];
		for (int i = 0; i < body.length; i++) {
			body[i] = (byte) (i * 31 + i / 65536);
		}
		CRC32 crc = new CRC32();
		crc.update(body);
		try (VsockHttpClient client = VsockHttpClient.connectLocal(this.vsockPort)) {
			FullHttpResponse response = client.post("/upload", "application/octet-stream", body);
			assertThat(VsockHttpClient.text(response)).isEqualTo(body.length + " " + crc.getValue());
		}
	}

	@Test
	void streamsServerSentEvents() throws Exception {
		try (VsockHttpClient client = VsockHttpClient.connectLocal(this.vsockPort)) {
			FullHttpResponse response = client.get("/events");
			assertThat(response.headers().get("Content-Type")).startsWith("text/event-stream");
			assertThat(VsockHttpClient.text(response)).isEqualTo("data:one\n\ndata:two\n\ndata:three\n\n");
		}
	}

	@Test
	void healthOverVsockShowsTheGuestsTransportsAndThisListener() throws Exception {
		try (VsockHttpClient client = VsockHttpClient.connectLocal(this.vsockPort)) {
			FullHttpResponse response = client.get("/actuator/health/vsock");
			assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
			assertThat(VsockHttpClient.text(response)).contains("\"status\":\"UP\"")
				.contains("\"h2g\":{\"available\":true,\"driver\":\"vhost\"}")
				.contains("\"loopback\":{\"available\":true,\"driver\":\"loopback\"}")
				.contains("\"g2h\":{\"available\":false,\"driver\":\"virtio\"")
				.contains("\"localCid\":2")
				.contains("\"port\":" + this.vsockPort + ",\"state\":\"listening\"");
		}
	}

	@Test
	void aNettyRouteProviderServesOnVsockToo() throws Exception {
		try (VsockHttpClient client = VsockHttpClient.connectLocal(this.vsockPort)) {
			assertThat(VsockHttpClient.text(client.get("/route-provider"))).isEqualTo("routed");
			assertThat(VsockHttpClient.text(client.get("/peer"))).startsWith("cid=1 ");
		}
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

}
