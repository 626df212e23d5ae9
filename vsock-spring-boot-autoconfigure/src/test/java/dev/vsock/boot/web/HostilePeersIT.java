package dev.vsock.boot.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.netty.channel.ChannelFuture;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;

import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.HttpHandler;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.reactor.VsockNettyReactiveWebServerFactory;
import dev.vsock.boot.testsupport.RequiresVsockLoopback;
import dev.vsock.boot.testsupport.VsockHttpClient;
import dev.vsock.boot.testsupport.VsockRawClient;
import dev.vsock.boot.tomcat.VsockTomcatServletWebServerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a hostile or broken peer cannot do to either server: malformed and oversized request lines
 * and headers, conflicting framing headers, a reset in the middle of a body, pipelined requests,
 * hundreds of slow clients holding connections, a burst of connections, thousands of connections
 * opened and closed. After each, the server still answers a well-behaved client, and its open
 * connections and the process's file descriptors are back where they were. Servers without an
 * application context, started once for the class, so that the guest spends no time on one.
 */
@RequiresVsockLoopback
@TestInstance(Lifecycle.PER_CLASS)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class HostilePeersIT {

	private static final VsockAddress ANY_PORT = VsockAddress.of(VsockAddress.CID_ANY, VsockAddress.PORT_ANY);

	private final Map<Server, WebServer> servers = new EnumMap<>(Server.class);

	@BeforeAll
	void startBothServers() {
		for (Server server : Server.values()) {
			WebServer started = server.create();
			started.start();
			this.servers.put(server, started);
		}
	}

	@AfterAll
	void stopBothServers() {
		this.servers.values().forEach(WebServer::destroy);
	}

	@ParameterizedTest
	@EnumSource
	void aMalformedRequestLineIsRefusedWith400(Server server) throws Exception {
		assertThat(VsockRawClient.exchange(port(server), "THIS IS NOT HTTP\r\n\r\n")).startsWith("HTTP/1.1 400 ");
		assertServesAWellBehavedClient(server);
	}

	@ParameterizedTest
	@EnumSource
	void anOversizedRequestLineIsRefused(Server server) throws Exception {
		String path = "/" + "a".repeat(64 * 1024);
		assertThat(status(VsockRawClient.exchange(port(server), "GET " + path + " HTTP/1.1\r\nHost: vsock\r\n\r\n")))
			.as("400, 414 or 431").isIn(400, 414, 431);
		assertServesAWellBehavedClient(server);
	}

	@ParameterizedTest
	@EnumSource
	void oversizedHeadersAreRefused(Server server) throws Exception {
		StringBuilder request = new StringBuilder("GET / HTTP/1.1\r\nHost: vsock\r\n");
		for (int i = 0; i < 200; i++) {
			request.append("X-Padding-").append(i).append(": ").append("b".repeat(100)).append("\r\n");
		}
		assertThat(status(VsockRawClient.exchange(port(server), request.append("\r\n").toString())))
			.as("400 or 431").isIn(400, 431);
		assertServesAWellBehavedClient(server);
	}

	/**
	 * Two different lengths for one body: a server that picked either would read the rest as
	 * another request, as a smuggling attack wants.
	 */
	@ParameterizedTest
	@EnumSource
	void conflictingContentLengthsAreRefusedAndNothingBehindThemIsServed(Server server) throws Exception {
		String answer = VsockRawClient.exchange(port(server), "POST /upload HTTP/1.1\r\nHost: vsock\r\n"
				+ "Content-Length: 5\r\nContent-Length: 48\r\n\r\n"
				+ "hello GET /smuggled HTTP/1.1\r\nHost: vsock\r\n\r\n");
		assertThat(answer).startsWith("HTTP/1.1 400 ").doesNotContain("ok /smuggled");
		assertThat(answer.split("HTTP/1.1 ", -1)).as("one response").hasSize(2);
		assertServesAWellBehavedClient(server);
	}

	@ParameterizedTest
	@EnumSource
	void aPeerThatGoesAwayInTheMiddleOfABodyLeavesNothingBehind(Server server) throws Exception {
		for (int i = 0; i < 20; i++) {
			VsockRawClient client = VsockRawClient.open(port(server));
			client.send("POST /upload HTTP/1.1\r\nHost: vsock\r\nContent-Length: 1048576\r\n\r\n");
			client.send(new byte[64 * 1024]);
			client.close();
		}
		assertBackToIdle(server);
		assertServesAWellBehavedClient(server);
	}

	@ParameterizedTest
	@EnumSource
	void answersPipelinedRequestsInOrder(Server server) throws Exception {
		StringBuilder requests = new StringBuilder();
		for (int i = 0; i < 20; i++) {
			requests.append("GET /pipelined/").append(i).append(" HTTP/1.1\r\nHost: vsock\r\n")
				.append((i == 19) ? "Connection: close\r\n" : "")
				.append("\r\n");
		}
		String answers = VsockRawClient.exchange(port(server), requests.toString());
		int previous = -1;
		for (int i = 0; i < 20; i++) {
			int at = answers.indexOf("ok /pipelined/" + i + "\n");
			assertThat(at).as("answer %d after answer %d", i, i - 1).isGreaterThan(previous);
			previous = at;
		}
	}

	/**
	 * Slow clients that each send half a request and then nothing hold a connection each, but no
	 * thread: a well-behaved client is answered while they wait.
	 */
	@ParameterizedTest
	@EnumSource
	void hundredsOfSlowClientsDoNotKeepAWellBehavedOneWaiting(Server server) throws Exception {
		List<VsockRawClient> slow = new ArrayList<>();
		try {
			for (int i = 0; i < 300; i++) {
				VsockRawClient client = VsockRawClient.open(port(server));
				client.send("GET /slow HTTP/1.1\r\nHost: vs");
				slow.add(client);
			}
			assertServesAWellBehavedClient(server);
			assertThat(slow).as("the slow clients, still waiting").allMatch(VsockRawClient::isOpen);
		}
		finally {
			for (VsockRawClient client : slow) {
				client.close();
			}
		}
		assertBackToIdle(server);
	}

	/**
	 * A burst of connections while Tomcat accepts none: vsock resets a connection request when
	 * the listen backlog is full (where TCP lets the client try again), so the backlog must hold
	 * the burst (Tomcat's accept-count of 100 did not); once the server accepts again, it takes
	 * them all and serves on.
	 */
	@Test
	void aBurstOfConnectionsWaitsInTheBacklogAndIsServed() throws Exception {
		Connector connector = vsockConnector((TomcatWebServer) this.servers.get(Server.TOMCAT));
		List<ChannelFuture> burst = new ArrayList<>();
		connector.pause();
		try {
			for (int i = 0; i < 500; i++) {
				burst.add(VsockRawClient.connectAsync(port(Server.TOMCAT)));
			}
			for (ChannelFuture connecting : burst) {
				assertThat(connecting.await(2, TimeUnit.MINUTES)).isTrue();
				assertThat(connecting.cause()).as("a connection of the burst").isNull();
			}
		}
		finally {
			connector.resume();
		}
		for (ChannelFuture connected : burst) {
			connected.channel().close().sync();
		}
		assertBackToIdle(Server.TOMCAT);
		assertServesAWellBehavedClient(Server.TOMCAT);
	}

	/**
	 * Thousands of connections opened, used once and closed leave the server's file descriptors
	 * where they were.
	 */
	@ParameterizedTest
	@EnumSource
	void connectionChurnLeavesNoDescriptorBehind(Server server) throws Exception {
		assertBackToIdle(server);
		long before = openDescriptors();
		for (int i = 0; i < 2000; i++) {
			try (VsockHttpClient client = VsockHttpClient.connectLocal(port(server))) {
				assertThat(VsockHttpClient.text(client.get("/churn/" + i))).isEqualTo("ok /churn/" + i + "\n");
			}
		}
		assertBackToIdle(server);
		// A descriptor leaked per connection would show as thousands; the JVM may open a few of its own.
		await().atMost(Duration.ofMinutes(1))
			.untilAsserted(() -> assertThat(openDescriptors()).as("open descriptors").isLessThan(before + 20));
	}

	private void assertServesAWellBehavedClient(Server server) throws Exception {
		try (VsockHttpClient client = VsockHttpClient.connectLocal(port(server))) {
			assertThat(VsockHttpClient.text(client.get("/well-behaved"))).isEqualTo("ok /well-behaved\n");
		}
	}

	private void assertBackToIdle(Server server) {
		VsockListener listener = (VsockListener) this.servers.get(server);
		await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(listener.openConnections()).isZero());
	}

	private long port(Server server) {
		return ((VsockListener) this.servers.get(server)).address().port();
	}

	private static int status(String answer) {
		assertThat(answer).startsWith("HTTP/1.1 ");
		return Integer.parseInt(answer.substring(9, 12));
	}

	private static Connector vsockConnector(TomcatWebServer server) {
		return Stream.of(server.getTomcat().getService().findConnectors())
			.filter((connector) -> connector.getPort() == -1)
			.findFirst()
			.orElseThrow();
	}

	private static long openDescriptors() throws IOException {
		try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
			return descriptors.count();
		}
	}

	/**
	 * The two servers, each answering {@code GET} with {@code ok <path>} and {@code POST} with the
	 * length of the body it read.
	 */
	enum Server {

		TOMCAT {

			@Override
			WebServer create() {
				VsockTomcatServletWebServerFactory factory = new VsockTomcatServletWebServerFactory(ANY_PORT,
						new VsockListeners());
				factory.setPort(-1);
				return factory.getWebServer((context) -> context.addServlet("answer", new AnswerServlet())
					.addMapping("/"));
			}

		},

		REACTOR_NETTY {

			@Override
			WebServer create() {
				VsockNettyReactiveWebServerFactory factory = new VsockNettyReactiveWebServerFactory(ANY_PORT,
						new VsockListeners());
				factory.setPort(-1);
				HttpHandler answer = (request, response) -> {
					Mono<String> text = "POST".equals(request.getMethod().name())
							? DataBufferUtils.join(request.getBody()).map((body) -> {
								int length = body.readableByteCount();
								DataBufferUtils.release(body);
								return "got " + length + "\n";
							}).defaultIfEmpty("got 0\n")
							: Mono.just("ok " + request.getPath().value() + "\n");
					return response.writeWith(text
						.map((body) -> response.bufferFactory().wrap(body.getBytes(StandardCharsets.US_ASCII))));
				};
				return factory.getWebServer(answer);
			}

		};

		abstract WebServer create();

	}

	/**
	 * Tomcat's side of {@link Server}.
	 */
	static class AnswerServlet extends HttpServlet {

		@Override
		protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
			response.getWriter().print("ok " + request.getRequestURI() + "\n");
		}

		@Override
		protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
			long length = 0;
			try (InputStream body = request.getInputStream()) {
				byte[] buffer = new byte[8192];
				for (int n = body.read(buffer); n != -1; n = body.read(buffer)) {
					length += n;
				}
			}
			response.getWriter().print("got " + length + "\n");
		}

	}

}
