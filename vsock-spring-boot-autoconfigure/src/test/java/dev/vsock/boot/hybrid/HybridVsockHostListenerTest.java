package dev.vsock.boot.hybrid;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.channel.unix.DomainSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.netty.http.client.HttpClient;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.reactor.ReactorVsockApplication;
import dev.vsock.boot.testsupport.VsockServerChecks;
import dev.vsock.boot.tomcat.TomcatVsockApplication;
import dev.vsock.boot.web.VsockListener;
import dev.vsock.boot.web.VsockListeners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The host side of hybrid vsock on both servers: with {@code server.vsock.hybrid.uds-path} the
 * application listens on {@code <uds_path>_<port>}, where Firecracker forwards the guest's
 * connections to the host. The test connects to that Unix socket as the VMM does. Only Unix
 * sockets are involved, so this runs on the build machine.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class HybridVsockHostListenerTest {

	@TempDir
	Path directory;

	@ParameterizedTest
	@EnumSource
	void servesOnTheUnixSocketTheVmmForwardsTheGuestsConnectionsTo(Server server) throws Exception {
		Path uds = this.directory.resolve("v.sock");
		Path listener = uds.resolveSibling("v.sock_5052");
		try (ConfigurableApplicationContext context = server.start("server.vsock.port=5052",
				"server.vsock.hybrid.uds-path=" + uds, "management.endpoints.web.exposure.include=health",
				"management.endpoint.health.show-details=always")) {
			assertThat(listener).exists();
			HttpClient vmm = vmm(listener);
			assertThat(get(vmm, "/peer")).as("no CID over the Unix socket").isEqualTo("tcp");
			assertThat(get(vmm, "/actuator/health/vsock")).contains("\"status\":\"UP\"")
				.contains("\"kind\":\"" + server.kind + "\"")
				.contains("\"port\":5052")
				.contains("\"state\":\"listening\"");
			VsockListener registered = context.getBean(VsockListeners.class).all().get(0);
			assertThat(registered.address()).isEqualTo(VsockAddress.of(VsockAddress.CID_HOST, 5052));
			assertThat(registered.isListening()).isTrue();
			assertThat(registered.counters().acceptedCount()).isPositive();
			assertThat(registered.counters().receivedBytes()).isPositive();
		}
		assertThat(listener).as("removed on shutdown").doesNotExist();
	}

	@ParameterizedTest
	@EnumSource
	void replacesTheStaleSocketFileOfAnEarlierRun(Server server) throws Exception {
		Path uds = this.directory.resolve("v.sock");
		Path listener = uds.resolveSibling("v.sock_5052");
		try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			crashed.bind(UnixDomainSocketAddress.of(listener));
		}
		assertThat(listener).as("a socket file nobody listens on").exists();
		try (ConfigurableApplicationContext context = server.start("server.vsock.port=5052",
				"server.vsock.hybrid.uds-path=" + uds)) {
			assertThat(get(vmm(listener), "/peer")).isEqualTo("tcp");
		}
	}

	@ParameterizedTest
	@EnumSource
	void leavesTheSocketOfAProcessThatListensOnItAlone(Server server) throws Exception {
		Path uds = this.directory.resolve("v.sock");
		Path listener = uds.resolveSibling("v.sock_5052");
		try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			other.bind(UnixDomainSocketAddress.of(listener));
			assertThatException()
				.isThrownBy(() -> server.start("server.vsock.port=5052", "server.vsock.hybrid.uds-path=" + uds))
				.havingRootCause()
				.withMessage("Cannot listen for hybrid vsock on " + listener + ": another process listens there (a"
						+ " second instance of the application, or one that is still shutting down). Stop it first,"
						+ " or choose another server.vsock.hybrid.uds-path");
			try (SocketChannel vmm = connect(listener)) {
				assertThat(vmm.isConnected()).as("the other process is still reachable").isTrue();
			}
		}
	}

	/**
	 * A rolling restart gone wrong: another process bound the path while this one ran (its file
	 * replaced this one's); stopping this one must not take the other's socket away.
	 */
	@ParameterizedTest
	@EnumSource
	void removesOnlyTheSocketFileItCreated(Server server) throws Exception {
		Path uds = this.directory.resolve("v.sock");
		Path listener = uds.resolveSibling("v.sock_5052");
		try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			try (ConfigurableApplicationContext context = server.start("server.vsock.port=5052",
					"server.vsock.hybrid.uds-path=" + uds)) {
				Files.delete(listener);
				other.bind(UnixDomainSocketAddress.of(listener));
			}
			assertThat(listener).as("the other process's socket").exists();
			try (SocketChannel vmm = connect(listener)) {
				assertThat(vmm.isConnected()).isTrue();
			}
		}
	}

	@ParameterizedTest
	@EnumSource
	void createsTheSocketFileForItsOwnerOnlyUnlessToldOtherwise(Server server) throws Exception {
		Path uds = this.directory.resolve("v.sock");
		Path listener = uds.resolveSibling("v.sock_5052");
		try (ConfigurableApplicationContext context = server.start("server.vsock.port=5052",
				"server.vsock.hybrid.uds-path=" + uds)) {
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(listener))).isEqualTo("rw-------");
		}
		try (ConfigurableApplicationContext context = server.start("server.vsock.port=5052",
				"server.vsock.hybrid.uds-path=" + uds, "server.vsock.hybrid.socket-permissions=rw-rw----")) {
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(listener))).isEqualTo("rw-rw----");
		}
	}

	@ParameterizedTest
	@EnumSource
	void leavesAFileThatIsNotASocketAlone(Server server) throws Exception {
		Path uds = this.directory.resolve("v.sock");
		Path listener = Files.writeString(uds.resolveSibling("v.sock_5052"), "not a socket");
		assertThatException()
			.isThrownBy(() -> server.start("server.vsock.port=5052", "server.vsock.hybrid.uds-path=" + uds))
			.withStackTraceContaining("Unable to start " + server.product + " on hybrid vsock " + listener)
			.havingRootCause()
			.withMessage("Cannot listen for hybrid vsock on " + listener + ": a file that is not a socket is in"
					+ " the way. Remove it, or choose another server.vsock.hybrid.uds-path");
		assertThat(listener).content().isEqualTo("not a socket");
	}

	@ParameterizedTest
	@EnumSource
	void needsTheGuestsPortNotAny(Server server) {
		assertThatException()
			.isThrownBy(() -> server.start("server.vsock.port=0",
					"server.vsock.hybrid.uds-path=" + this.directory.resolve("v.sock")))
			.havingRootCause()
			.withMessageContaining("needs the port the guest calls in server.vsock.port, not 0 (any)");
	}

	@ParameterizedTest
	@EnumSource
	void refusesAllowedCidsItCannotApply(Server server) {
		assertThatException()
			.isThrownBy(() -> server.start("server.vsock.port=5052", "server.vsock.allowed-cids=3",
					"server.vsock.hybrid.uds-path=" + this.directory.resolve("v.sock")))
			.havingRootCause()
			.withMessageContaining("cannot apply with server.vsock.hybrid.uds-path");
	}

	/**
	 * The guest behind the VMM has a CID the host side does not learn: its address is the one that
	 * stands for an unknown CID, in no range a proxy trusts (as {@code 127.0.0.1} was).
	 */
	@Test
	void tomcatReportsTheGuestBehindTheVmmAsAPeerOfUnknownCid() {
		Path uds = this.directory.resolve("v.sock");
		try (ConfigurableApplicationContext context = Server.TOMCAT.start("server.vsock.port=5052",
				"server.vsock.hybrid.uds-path=" + uds)) {
			assertThat(get(vmm(uds.resolveSibling("v.sock_5052")), "/remote"))
				.isEqualTo("100:0:0:0:0:0:ffff:ffff 0 100:0:0:0:0:0:ffff:ffff 0 /[100:0:0:0:0:0:ffff:ffff]:0");
		}
	}

	/**
	 * A client that half-closes once its request is sent, as {@code socat} does when its input
	 * ends, gets the whole answer before the server closes, though the answer takes a while
	 * ({@code /slow}, 3 s): the HTTP/1.0 request and the HTTP/1.1 one. The server is the same over
	 * the Unix socket.
	 */
	@ParameterizedTest
	@EnumSource
	void answersAClientThatHalfClosedAfterItsRequest(Server server) throws Exception {
		Path uds = this.directory.resolve("v.sock");
		try (ConfigurableApplicationContext context = server.start("server.vsock.port=5052",
				"server.vsock.hybrid.uds-path=" + uds)) {
			Path listener = uds.resolveSibling("v.sock_5052");
			for (String version : List.of("HTTP/1.0", "HTTP/1.1")) {
				try (SocketChannel socat = connect(listener)) {
					send(socat, "GET /slow " + version + "\r\nHost: vmm\r\n\r\n");
					socat.shutdownOutput();
					assertThat(new String(readToEnd(socat), StandardCharsets.ISO_8859_1)).as(version)
						.matches("(?s)HTTP/1\\.[01] 200 .*\r\n\r\nslow done");
				}
			}
		}
	}

	/**
	 * A client that half-closes in the middle of a body will never send the rest: the server lets
	 * the connection go at once, as it does when a client closes, rather than wait for an answer
	 * to a request that cannot be complete.
	 */
	@ParameterizedTest
	@EnumSource
	void letsGoOfAClientThatHalfClosedInTheMiddleOfABody(Server server) throws Exception {
		Path uds = this.directory.resolve("v.sock");
		try (ConfigurableApplicationContext context = server.start("server.vsock.port=5052",
				"server.vsock.hybrid.uds-path=" + uds)) {
			VsockListener listener = context.getBean(VsockListeners.class).all().get(0);
			try (SocketChannel peer = connect(uds.resolveSibling("v.sock_5052"))) {
				send(peer, "POST /upload HTTP/1.1\r\nHost: vmm\r\n"
						+ "Content-Type: application/octet-stream\r\nContent-Length: 1048576\r\n\r\n");
				peer.write(ByteBuffer.wrap(new byte[64 * 1024]));
				peer.shutdownOutput();
				await().atMost(Duration.ofSeconds(30))
					.untilAsserted(() -> assertThat(listener.openConnections()).as("open connections").isZero());
			}
		}
	}

	/**
	 * Tomcat waits without a limit when a timeout is -1 ({@code connection-timeout=-1}, HTTP/2
	 * after the preface, upgraded connections): a blocking read and a blocking write that have to
	 * wait must wait for as long as it takes. The endpoint is the same over the Unix socket.
	 */
	@Test
	void tomcatMovesLargeBodiesToAndFromSlowPeersWithAnInfiniteConnectionTimeout() throws Exception {
		Path uds = this.directory.resolve("v.sock");
		int size = 16 * 1024 * 1024;
		byte[] body = VsockServerChecks.pattern(size);
		try (ConfigurableApplicationContext context = Server.TOMCAT.start("server.vsock.port=5052",
				"server.vsock.hybrid.uds-path=" + uds, "server.tomcat.connection-timeout=-1")) {
			Path listener = uds.resolveSibling("v.sock_5052");
			try (SocketChannel vmm = connect(listener)) {
				send(vmm, "POST /upload HTTP/1.0\r\nContent-Type: application/octet-stream\r\n"
						+ "Content-Length: " + size + "\r\n\r\n");
				vmm.write(ByteBuffer.wrap(body, 0, 1024));
				// The servlet's blocking read waits for the rest.
				Thread.sleep(500);
				vmm.write(ByteBuffer.wrap(body, 1024, size - 1024));
				assertThat(new String(readToEnd(vmm), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200 ")
					.endsWith("\r\n\r\n" + size + " " + VsockServerChecks.crc(body));
			}
			try (SocketChannel vmm = connect(listener)) {
				send(vmm, "GET /download?size=" + size + " HTTP/1.0\r\n\r\n");
				// Nothing read for a while: the response's blocking write waits for room.
				Thread.sleep(500);
				byte[] response = readToEnd(vmm);
				String head = new String(response, 0, Math.min(response.length, 512), StandardCharsets.ISO_8859_1);
				assertThat(head).startsWith("HTTP/1.1 200 ");
				int bodyStart = head.indexOf("\r\n\r\n") + 4;
				byte[] received = Arrays.copyOfRange(response, bodyStart, response.length);
				assertThat(received).hasSize(size);
				assertThat(VsockServerChecks.crc(received)).isEqualTo(VsockServerChecks.crc(body));
			}
		}
	}

	/**
	 * An idle keep-alive connection holds no direct memory: its read and write buffers are on the
	 * heap, as on Tomcat's NIO connector by default ({@code socket.directBuffer=false}), and the
	 * direct buffers the native calls need are shared by the endpoint (each connection held
	 * 16 KiB of direct buffers, and could hold a 64 KiB copy buffer more).
	 */
	@Test
	void tomcatKeepsNoCopyBufferPerIdleConnection() throws Exception {
		Path uds = this.directory.resolve("v.sock");
		int connections = 100;
		BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
			.stream()
			.filter((pool) -> pool.getName().equals("direct"))
			.findFirst()
			.orElseThrow();
		try (ConfigurableApplicationContext context = Server.TOMCAT.start("server.vsock.port=5052",
				"server.vsock.hybrid.uds-path=" + uds)) {
			Path listener = uds.resolveSibling("v.sock_5052");
			List<SocketChannel> idle = new ArrayList<>();
			ByteBuffer response = ByteBuffer.allocateDirect(2 * 1024 * 1024);
			try {
				// One connection first, so that what the endpoint shares exists before counting.
				idle.add(downloadAndStayOpen(listener, response));
				long before = direct.getMemoryUsed();
				for (int i = 1; i < connections; i++) {
					idle.add(downloadAndStayOpen(listener, response));
				}
				long perConnection = (direct.getMemoryUsed() - before) / (connections - 1);
				assertThat(perConnection).as("direct bytes per idle connection").isLessThan(1024);
			}
			finally {
				for (SocketChannel channel : idle) {
					channel.close();
				}
			}
		}
	}

	/**
	 * Downloads 1 MiB written with one non-blocking write, reading nothing at first, so that what
	 * the socket cannot take waits in Tomcat's heap buffers and goes through the endpoint's copy to
	 * a direct buffer once it can, on a keep-alive connection, and leaves the connection open.
	 */
	private static SocketChannel downloadAndStayOpen(Path listener, ByteBuffer buffer) throws IOException {
		SocketChannel channel = connect(listener);
		ByteBuffer request = ByteBuffer.allocateDirect(64);
		request.put("GET /nio-echo?size=1048576 HTTP/1.1\r\nHost: vmm\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
		channel.write(request.flip());
		try {
			Thread.sleep(50);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		buffer.clear();
		int headEnd = -1;
		while (headEnd < 0 || buffer.position() < headEnd + 1_048_576) {
			if (channel.read(buffer) < 0) {
				throw new IOException("closed after " + buffer.position() + " bytes");
			}
			if (headEnd < 0) {
				String text = StandardCharsets.ISO_8859_1.decode(buffer.duplicate().flip()).toString();
				headEnd = text.contains("\r\n\r\n") ? text.indexOf("\r\n\r\n") + 4 : -1;
			}
		}
		return channel;
	}

	private static SocketChannel connect(Path listener) throws IOException {
		return SocketChannel.open(UnixDomainSocketAddress.of(listener));
	}

	private static void send(SocketChannel channel, String text) throws IOException {
		channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
	}

	private static byte[] readToEnd(SocketChannel channel) throws IOException {
		ByteArrayOutputStream all = new ByteArrayOutputStream();
		ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
		while (channel.read(buffer.clear()) >= 0) {
			all.write(buffer.array(), 0, buffer.position());
		}
		return all.toByteArray();
	}

	private static HttpClient vmm(Path listener) {
		return HttpClient.create().remoteAddress(() -> new DomainSocketAddress(listener.toString()));
	}

	private static String get(HttpClient client, String path) {
		return client.get().uri(path).responseContent().aggregate().asString().block(Duration.ofSeconds(30));
	}

	/**
	 * The servers that serve hybrid vsock's host side, each with the tests' application.
	 */
	enum Server {

		REACTOR_NETTY(ReactorVsockApplication.class, WebApplicationType.REACTIVE, "reactor-netty", "Netty"),

		TOMCAT(TomcatVsockApplication.class, WebApplicationType.SERVLET, "tomcat", "Tomcat");

		private final Class<?> application;

		private final WebApplicationType type;

		private final String kind;

		private final String product;

		Server(Class<?> application, WebApplicationType type, String kind, String product) {
			this.application = application;
			this.type = type;
			this.kind = kind;
			this.product = product;
		}

		ConfigurableApplicationContext start(String... properties) {
			return new SpringApplicationBuilder(this.application).web(this.type)
				.properties("server.port=-1")
				.properties(properties)
				.run();
		}

	}

}
