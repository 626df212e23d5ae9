package dev.vsock.boot.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.VsockBindException;
import dev.vsock.boot.client.VsockClients;
import dev.vsock.boot.web.VsockListener;
import dev.vsock.boot.web.VsockListeners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * What the end-to-end tests check of every vsock web server, Tomcat and Reactor Netty alike,
 * against the test applications' common API: {@code GET /peer}, {@code POST /upload},
 * {@code GET /events}, {@code GET /slow}.
 */
public final class VsockServerChecks {

	private VsockServerChecks() {
	}

	/**
	 * {@code GET /peer} over vsock loopback: the controller sees CID 1 and the client's port.
	 * @param port the vsock port
	 * @throws Exception if the exchange failed
	 */
	public static void servesThePeersCid(long port) throws Exception {
		try (VsockHttpClient client = VsockHttpClient.connectLocal(port)) {
			FullHttpResponse response = client.get("/peer");
			assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
			assertThat(VsockHttpClient.text(response))
				.isEqualTo("cid=1 port=" + client.localAddress().port() + " local=" + port);
		}
	}

	/**
	 * The port the kernel picked is published and the listener registered as listening.
	 * @param listeners the application's listeners
	 * @param port the published port
	 * @param kind the expected server kind
	 */
	public static void listenerIsRegistered(VsockListeners listeners, long port, String kind) {
		assertThat(port).isGreaterThan(1023L);
		assertThat(listeners.all()).singleElement().satisfies((VsockListener listener) -> {
			assertThat(listener.serverKind()).isEqualTo(kind);
			assertThat(listener.isListening()).isTrue();
			assertThat(listener.address().port()).isEqualTo(port);
			assertThat(listener.address().isAnyCid()).isTrue();
		});
	}

	/**
	 * Three requests on one connection, which stays open.
	 * @param port the vsock port
	 * @param listeners the application's listeners
	 * @throws Exception if an exchange failed
	 */
	public static void keepsTheConnectionAlive(long port, VsockListeners listeners) throws Exception {
		try (VsockHttpClient client = VsockHttpClient.connectLocal(port)) {
			String first = VsockHttpClient.text(client.get("/peer"));
			String second = VsockHttpClient.text(client.get("/peer"));
			String third = VsockHttpClient.text(client.get("/peer"));
			assertThat(second).isEqualTo(first).isEqualTo(third).contains("port=" + client.localAddress().port());
			assertThat(client.isOpen()).isTrue();
			assertThat(listeners.all().get(0).openConnections()).isGreaterThanOrEqualTo(1);
		}
	}

	/**
	 * {@code POST /upload} of 32 MiB: the server reports the size and CRC the client computed.
	 * @param port the vsock port
	 * @throws Exception if the exchange failed
	 */
	public static void receives32MebibytesUnchanged(long port) throws Exception {
		byte[] body = pattern(32 * 1024 * 1024);
		try (VsockHttpClient client = VsockHttpClient.connectLocal(port)) {
			FullHttpResponse response = client.post("/upload", "application/octet-stream", body);
			assertThat(VsockHttpClient.text(response)).isEqualTo(body.length + " " + crc(body));
		}
	}

	/**
	 * The project's own {@code RestClient} posts 5 MiB and then asks twice for {@code GET /peer}, and
	 * its {@code WebClient} once more: every answer is right, and the two {@code RestClient}
	 * requests after the upload come from one client port, the pooled connection the upload used
	 * or its successor. Requests without a body once went out as {@code HTTP/3.0} over vsock
	 * (Reactor Netty's guess for a channel it does not know), which Tomcat answers with 505.
	 * @param port the vsock port
	 */
	public static void theProjectsClientsPostAndGetOnOnePooledConnection(long port) {
		byte[] body = pattern(5 * 1024 * 1024);
		RestClient rest = VsockClients.restClient(VsockAddress.CID_LOCAL, port);
		String uploaded = rest.post()
			.uri("/upload")
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.body(body)
			.retrieve()
			.body(String.class);
		assertThat(uploaded).isEqualTo(body.length + " " + crc(body));
		String first = rest.get().uri("/peer").retrieve().body(String.class);
		String second = rest.get().uri("/peer").retrieve().body(String.class);
		assertThat(first).startsWith("cid=1 port=").endsWith(" local=" + port);
		assertThat(second).as("the second GET reuses the pooled connection").isEqualTo(first);
		String viaWebClient = VsockClients.webClient(VsockAddress.CID_LOCAL, port)
			.get()
			.uri("/peer")
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofMinutes(1));
		assertThat(viaWebClient).startsWith("cid=1 port=").endsWith(" local=" + port);
	}

	/**
	 * {@code GET /events}: three server-sent events.
	 * @param port the vsock port
	 * @throws Exception if the exchange failed
	 */
	public static void streamsServerSentEvents(long port) throws Exception {
		try (VsockHttpClient client = VsockHttpClient.connectLocal(port)) {
			FullHttpResponse response = client.get("/events");
			assertThat(response.headers().get("Content-Type")).startsWith("text/event-stream");
			assertThat(VsockHttpClient.text(response)).isEqualTo("data:one\n\ndata:two\n\ndata:three\n\n");
		}
	}

	/**
	 * A WebSocket echo: two messages, each answered with the prefix.
	 * @param port the vsock port
	 * @param path the endpoint's path
	 * @param prefix what the endpoint puts before each message
	 * @throws Exception if the exchange failed
	 */
	public static void echoesOverAWebSocket(long port, String path, String prefix) throws Exception {
		try (VsockWebSocketClient client = VsockWebSocketClient.connectLocal(port, path)) {
			assertThat(client.exchange("hello")).isEqualTo(prefix + "hello");
			assertThat(client.exchange("again")).isEqualTo(prefix + "again");
		}
	}

	/**
	 * {@code GET /peer} over TCP: the same application, no vsock peer.
	 * @param tcpPort the TCP port
	 * @throws Exception if the exchange failed
	 */
	public static void servesTheSameApplicationOverTcp(int tcpPort) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tcpPort + "/peer")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("tcp");
	}

	/**
	 * The application listens on vsock only, serves, and upgrades to h2c.
	 * @param context the application, started with {@code server.port=-1} and
	 * {@code server.http2.enabled=true}
	 * @return the vsock port
	 * @throws Exception if an exchange failed
	 */
	public static long servesOnVsockOnlyAndUpgradesToH2c(ConfigurableApplicationContext context) throws Exception {
		long port = context.getEnvironment().getRequiredProperty("local.vsock.port", Long.class);
		assertThat(context.getEnvironment().getProperty("local.server.port")).as("no TCP listener").isEqualTo("-1");
		try (VsockHttpClient client = VsockHttpClient.connectLocal(port)) {
			assertThat(VsockHttpClient.text(client.get("/peer"))).startsWith("cid=1 ");
		}
		try (VsockHttpClient client = VsockHttpClient.connectLocal(port)) {
			FullHttpRequest upgrade = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/peer");
			upgrade.headers()
				.set(HttpHeaderNames.CONNECTION, "Upgrade, HTTP2-Settings")
				.set(HttpHeaderNames.UPGRADE, "h2c")
				.set("HTTP2-Settings", "");
			FullHttpResponse switching = client.exchange(upgrade);
			assertThat(switching.status()).isEqualTo(HttpResponseStatus.SWITCHING_PROTOCOLS);
			assertThat(switching.headers().get(HttpHeaderNames.UPGRADE)).isEqualTo("h2c");
		}
		return port;
	}

	/**
	 * A second application on the same vsock port fails with a {@link VsockBindException} that
	 * names the port.
	 * @param startSecond starts the second application
	 * @param port the port the first one listens on
	 */
	public static void refusesASecondApplicationOnThePort(Callable<?> startSecond, long port) {
		assertThatException().isThrownBy(startSecond::call)
			.satisfies((ex) -> assertThat(causeOf(ex, VsockBindException.class)).isNotNull()
				.satisfies((bind) -> assertThat(bind.getReason()).isEqualTo(VsockBindException.Reason.IN_USE))
				.satisfies((bind) -> assertThat(bind.getAddress().port()).isEqualTo(port))
				.satisfies((bind) -> assertThat(bind.getMessage()).contains("Vsock port " + port + " ")));
	}

	/**
	 * A graceful shutdown lets an in-flight {@code GET /slow} finish.
	 * @param context the application, started with {@code server.shutdown=graceful}
	 * @param port the vsock port
	 * @param slowStarted the latch {@code /slow} counts down, fresh
	 * @throws Exception if the exchange failed
	 */
	public static void drainsAnInFlightRequestOnShutdown(ConfigurableApplicationContext context, long port,
			CountDownLatch slowStarted) throws Exception {
		try (VsockHttpClient client = VsockHttpClient.connectLocal(port)) {
			CompletableFuture<FullHttpResponse> slow = CompletableFuture.supplyAsync(() -> {
				try {
					return client.get("/slow");
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			assertThat(slowStarted.await(1, TimeUnit.MINUTES)).isTrue();
			context.close();
			assertThat(VsockHttpClient.text(slow.get(1, TimeUnit.MINUTES))).isEqualTo("slow done");
		}
	}

	/**
	 * Returns bytes in a pattern that does not repeat every page.
	 * @param size the number of bytes
	 * @return the bytes
	 */
	public static byte[] pattern(int size) {
		byte[] bytes = new byte[size];
		for (int i = 0; i < size; i++) {
			bytes[i] = (byte) (i * 31 + i / 65536);
		}
		return bytes;
	}

	/**
	 * Returns the CRC-32 of the bytes.
	 * @param bytes the bytes
	 * @return the checksum
	 */
	public static long crc(byte[] bytes) {
		CRC32 crc = new CRC32();
		crc.update(bytes);
		return crc.getValue();
	}

	private static <T extends Throwable> T causeOf(Throwable ex, Class<T> type) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		return null;
	}

}
