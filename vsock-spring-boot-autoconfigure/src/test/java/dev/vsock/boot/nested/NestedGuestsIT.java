package dev.vsock.boot.nested;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.grpc.CallOptions;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.WebServer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.web.client.RestClient;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.VsockAllowedCids;
import dev.vsock.boot.client.VsockClientSettings;
import dev.vsock.boot.client.VsockClients;
import dev.vsock.boot.grpc.VsockGrpcChannels;
import dev.vsock.boot.grpc.VsockGrpcServerFactory;
import dev.vsock.boot.grpc.VsockPeerServerInterceptor;
import dev.vsock.boot.reactor.ReactorVsockApplication;
import dev.vsock.boot.reactor.VsockNettyReactiveWebServerFactory;
import dev.vsock.boot.testsupport.EchoGrpc;
import dev.vsock.boot.testsupport.RequiresVsockLoopback;
import dev.vsock.boot.testsupport.VsockHttpClient;
import dev.vsock.boot.tomcat.TomcatVsockApplication;
import dev.vsock.boot.transport.VsockTransports;
import dev.vsock.boot.web.VsockListener;
import dev.vsock.boot.web.VsockListeners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Real traffic across every transport at once: the test guest (L1) boots a nested guest (L2) with
 * CID {@value #L2_CID} once for the class, so L1 has H2G (vhost) and loopback, and L2 has G2H
 * (virtio). L2 is as small as the proof allows, since it runs on an emulated CPU inside an emulated
 * CPU: a kernel, the virtio-vsock modules and a static agent ({@code guest/nested/agent.c}), no
 * root file system and no JVM. L1 runs the Spring applications.
 * <ul>
 * <li>G2H: L2 calls a Tomcat and a Reactor Netty application of L1 at CID 2; each sees CID
 * {@value #L2_CID}.</li>
 * <li>H2G: the project's {@code RestClient} and {@code WebClient} in L1 call L2's server at CID
 * {@value #L2_CID}, which sees CID 2.</li>
 * <li>gRPC across both: L1's gRPC client calls L2's relay at CID {@value #L2_CID} (H2G), which
 * relays to L1's gRPC server at CID 2 (G2H); the server admits only CID {@value #L2_CID} and the
 * service sees it.</li>
 * <li>Loopback beside both; {@code allowed-cids} admitting L2 and refusing loopback, and the
 * reverse.</li>
 * <li>Health in L1 (h2g and loopback, no g2h); the project's transport detection run on what L2's
 * kernel shows (its {@code /sys} and {@code /dev} entries and the local CID its ioctl answers):
 * g2h and nothing else, and its own CID.</li>
 * </ul>
 * Fails, never skips, when the nested guest cannot start.
 */
@RequiresVsockLoopback
@TestInstance(Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class NestedGuestsIT {

	static final long L2_CID = 4;

	static final long L2_SERVER_PORT = 5000;

	/** The port where L2 relays connections to L1's gRPC server. */
	static final long L2_RELAY_PORT = 5002;

	/**
	 * How long L2 may take for its whole part: a boot and a small static program, measured at
	 * about a minute in an otherwise idle test guest; loaded machines run 2-3 times as slowly.
	 */
	private static final Duration L2_PATIENCE = Duration.ofMinutes(15);

	private final List<ConfigurableApplicationContext> applications = new ArrayList<>();

	private final Path l2Log = Path.of("target", "nested-l2.log");

	/**
	 * QEMU's monitor of L2, where the test saves L2 as a VMM saves a snapshot, and the saved state:
	 * in the guest's own temporary directory (the checkout's share can hold no Unix socket).
	 */
	private final Path l2Monitor = Path.of(System.getProperty("java.io.tmpdir"), "nested-l2.monitor");

	private final Path l2State = Path.of(System.getProperty("java.io.tmpdir"), "nested-l2.state");

	private long grpcPort;

	private ConfigurableApplicationContext tomcat;

	private long tomcatPort;

	private long reactorPort;

	private WebServer refusing;

	private long refusingPort;

	private VsockGrpcServerFactory grpcFactory;

	private Server grpc;

	private Process l2;

	@BeforeAll
	void startTheApplicationsThenTheNestedGuest() throws Exception {
		assertThat(Path.of("/dev/vhost-vsock")).as("the H2G device a nested guest needs").exists();
		this.tomcat = start(TomcatVsockApplication.class, "spring.main.web-application-type=servlet");
		this.tomcatPort = vsockPort(this.tomcat);
		ConfigurableApplicationContext reactor = start(ReactorVsockApplication.class,
				"spring.main.web-application-type=reactive", "server.vsock.allowed-cids=" + L2_CID);
		this.reactorPort = vsockPort(reactor);
		this.refusing = startLoopbackOnlyServer();
		this.refusingPort = ((VsockListener) this.refusing).address().port();
		this.grpcPort = startGrpcServerForTheNestedGuestOnly();
		Files.createDirectories(this.l2Log.getParent());
		Files.deleteIfExists(this.l2Log);
		this.l2 = startL2("--monitor", this.l2Monitor.toString());
	}

	/** Starts L2, booted or, with --incoming, restored; its console is appended to the log. */
	private Process startL2(String... options) throws IOException {
		List<String> command = new ArrayList<>(List.of("../guest/nested/run.sh", "--cid", Long.toString(L2_CID),
				"--timeout", Long.toString(L2_PATIENCE.toSeconds())));
		command.addAll(List.of(options));
		command.addAll(List.of("--", Long.toString(L2_SERVER_PORT), "relay=" + L2_RELAY_PORT + ":" + this.grpcPort,
				"tomcat=" + this.tomcatPort, "reactor=" + this.reactorPort, "refusing=" + this.refusingPort));
		return new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.l2Log.toFile()))
			.start();
	}

	@AfterAll
	void stopEverything() throws InterruptedException {
		if (this.l2 != null && this.l2.isAlive()) {
			this.l2.destroy();
			this.l2.waitFor(30, TimeUnit.SECONDS);
		}
		if (this.refusing != null) {
			this.refusing.stop();
		}
		if (this.grpc != null) {
			this.grpc.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
			this.grpcFactory.close();
		}
		this.applications.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	@Order(1)
	void g2hTheNestedGuestReachesTomcatInL1AtCid2AndTomcatSeesItsCid() {
		assertThat(l2Line("GET tomcat -> ")).contains(" 200").contains("| cid=" + L2_CID + " ");
	}

	@Test
	@Order(2)
	void g2hTheAllowListAdmitsTheNestedGuestAndRefusesLoopback() throws Exception {
		assertThat(l2Line("GET reactor -> ")).contains(" 200 OK").contains("| cid=" + L2_CID + " ");
		try (VsockHttpClient local = VsockHttpClient.connectLocal(this.reactorPort)) {
			assertThatException().as("a loopback peer is not in allowed-cids=" + L2_CID)
				.isThrownBy(() -> local.get("/peer"));
		}
	}

	@Test
	@Order(3)
	void g2hTheReverseAllowListRefusesTheNestedGuestAndAdmitsLoopback() throws Exception {
		assertThat(l2Line("GET refusing -> ")).doesNotContain(" 200").doesNotContain("cid=");
		try (VsockHttpClient local = VsockHttpClient.connectLocal(this.refusingPort)) {
			assertThat(VsockHttpClient.text(local.get("/"))).isEqualTo("loopback only");
		}
		assertThat(((VsockListener) this.refusing).counters().notAllowedCount()).isEqualTo(1);
	}

	@Test
	@Order(4)
	void h2gTheProjectsClientsInL1ReachTheNestedGuestWhichSeesCid2() {
		l2Line("listening on vsock port " + L2_SERVER_PORT);
		String viaRestClient = VsockClients.restClient(L2_CID, L2_SERVER_PORT)
			.get()
			.uri("/h2g/rest-client")
			.retrieve()
			.body(String.class);
		assertThat(viaRestClient).startsWith("cid=2 port=");
		String viaWebClient = VsockClients.webClient(L2_CID, L2_SERVER_PORT)
			.get()
			.uri("/h2g/web-client")
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofMinutes(2));
		assertThat(viaWebClient).startsWith("cid=2 port=");
		assertThat(l2Line("served 'GET /h2g/web-client HTTP/1.1'")).endsWith("to cid=2");
	}

	@Test
	@Order(5)
	void grpcCrossesH2gAndG2hThroughTheNestedGuestAndTheServiceSeesItsCid() throws Exception {
		l2Line("listening on vsock port " + L2_RELAY_PORT);
		EventLoopGroup loops = VsockGrpcChannels.newEventLoopGroup();
		ManagedChannel channel = VsockGrpcChannels
			.forAddress(VsockAddress.of(L2_CID, L2_RELAY_PORT), InsecureChannelCredentials.create(), loops)
			.build();
		try {
			assertThat(EchoGrpc.call(channel, EchoGrpc.WHO, "nested")).isEqualTo("cid=" + L2_CID + "|nested");
			assertThat(EchoGrpc.count(channel, 200)).toIterable().hasSize(200).endsWith("200");
			assertThat(l2Line("relaying a connection on port " + L2_RELAY_PORT)).endsWith("to CID 2 port "
					+ this.grpcFactory.getVsockListener().address().port());
			assertThat(this.grpcFactory.getVsockListener().counters().acceptedCount()).isEqualTo(1);
		}
		finally {
			channel.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
			loops.shutdownGracefully(0, 5, TimeUnit.SECONDS);
		}
	}

	@Test
	@Order(6)
	void loopbackWorksBesideBoth() throws Exception {
		try (VsockHttpClient local = VsockHttpClient.connectLocal(this.tomcatPort)) {
			assertThat(VsockHttpClient.text(local.get("/peer"))).startsWith("cid=1 ");
		}
	}

	@Test
	@Order(7)
	void healthInL1ShowsH2gAndLoopbackButNoG2h() throws Exception {
		try (VsockHttpClient local = VsockHttpClient.connectLocal(this.tomcatPort)) {
			assertThat(VsockHttpClient.text(local.get("/actuator/health/vsock"))).contains("\"status\":\"UP\"")
				.contains("\"h2g\":{\"available\":true,\"driver\":\"vhost\"}")
				.contains("\"loopback\":{\"available\":true,\"driver\":\"loopback\"}")
				.contains("\"g2h\":{\"available\":false,\"driver\":\"virtio\"")
				.contains("\"localCid\":2")
				.contains("\"port\":" + this.tomcatPort + ",\"state\":\"listening\"");
		}
	}

	@Test
	@Order(8)
	void transportDetectionOnWhatTheNestedGuestsKernelShowsFindsG2hOnlyAndItsOwnCid(@TempDir Path l2Root)
			throws Exception {
		l2Line("waiting for /done");
		for (String path : l2Lines("fact path ")) {
			Files.createDirectories(l2Root.resolve(path));
		}
		Path release = l2Root.resolve("proc/sys/kernel/osrelease");
		Files.createDirectories(release.getParent());
		Files.writeString(release, l2Line("fact osrelease "));
		long cid = Long.parseLong(l2Line("fact local-cid "));
		assertThat(VsockTransports.detect(l2Root, OptionalLong.of(cid))).hasToString(
				"AF_VSOCK: g2h=virtio, h2g=absent, loopback=absent, local CID " + L2_CID);
	}

	/**
	 * What a VMM's snapshot and restore (or a migration) does to the host side: L2 is saved to a
	 * file (QEMU's {@code migrate}), its QEMU quits, which resets every connection L1 had with it,
	 * and a new QEMU restores it from the file. L2 gets a transport reset; its listeners stay. The
	 * clients L1 made before the snapshot reach it again, the gRPC channel through L2's relay back
	 * into L1 (H2G, then G2H) too, without being made anew.
	 * @throws Exception if the test fails
	 */
	@Test
	@Order(9)
	void afterTheNestedGuestIsSavedAndRestoredL1sClientsReachItAgainBothWays() throws Exception {
		l2Line("waiting for /done");
		// Connect retries: while the restored L2's QEMU loads, its CID has no device yet (ENODEV).
		RestClient rest = VsockClients.restClient(L2_CID, L2_SERVER_PORT,
				VsockClientSettings.defaults().withConnectRetries(40, Duration.ofMillis(500)));
		assertThat(rest.get().uri("/before-snapshot").retrieve().body(String.class)).startsWith("cid=2 ");
		EventLoopGroup loops = VsockGrpcChannels.newEventLoopGroup();
		ManagedChannel channel = VsockGrpcChannels
			.forAddress(VsockAddress.of(L2_CID, L2_RELAY_PORT), InsecureChannelCredentials.create(), loops)
			.build();
		try {
			assertThat(EchoGrpc.call(channel, EchoGrpc.WHO, "before")).isEqualTo("cid=" + L2_CID + "|before");
			Files.deleteIfExists(this.l2State);
			// Stopped, then saved in one pass, as a VMM takes a snapshot: saved running (a live
			// migration), L2 kept dirtying its memory on the loaded test guest and the copy never
			// converged. HMP's migrate returns once the state is written.
			try (QemuMonitor monitor = new QemuMonitor(this.l2Monitor)) {
				monitor.command("stop");
				monitor.command("migrate \"exec:cat > " + this.l2State + "\"");
				assertThat(monitor.command("info migrate")).contains("Migration status: completed");
				monitor.quit();
			}
			// Once in a full run, L2's QEMU read the first quit and went on (it was killed by
			// guest/nested/run.sh's timeout 15 minutes later): the VMM is told again, as an operator
			// would, on a new monitor connection, before the test waits for it to end.
			if (!this.l2.waitFor(1, TimeUnit.MINUTES)) {
				try (QemuMonitor again = new QemuMonitor(this.l2Monitor)) {
					again.quit();
				}
			}
			assertThat(this.l2.waitFor(L2_PATIENCE.toMinutes(), TimeUnit.MINUTES)).as("the saved L2 quit").isTrue();
			Files.deleteIfExists(this.l2Monitor);
			this.l2 = startL2("--incoming", this.l2State.toString(), "--monitor", this.l2Monitor.toString());
			// Restored as it was saved, stopped: resumed once the state is loaded.
			try (QemuMonitor monitor = new QemuMonitor(this.l2Monitor)) {
				await().atMost(L2_PATIENCE)
					.pollInterval(Duration.ofSeconds(1))
					.until(() -> monitor.command("info status"), (status) -> status.contains("VM status: paused")
							&& !status.contains("inmigrate"));
				monitor.command("cont");
			}
			assertThat(rest.get().uri("/after-restore").retrieve().body(String.class))
				.as("the same client, on a new connection: L1's old one was reset when L2's QEMU quit")
				.startsWith("cid=2 ");
			assertThat(EchoGrpc.call(channel, CallOptions.DEFAULT.withWaitForReady().withDeadlineAfter(3, TimeUnit.MINUTES),
					EchoGrpc.WHO, "after"))
				.as("the same channel, through L2's relay, which outlived the reset, back to L1")
				.isEqualTo("cid=" + L2_CID + "|after");
			assertThat(l2Line("served 'GET /after-restore HTTP/1.1'")).endsWith("to cid=2");
		}
		finally {
			channel.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
			loops.shutdownGracefully(0, 5, TimeUnit.SECONDS);
		}
	}

	@Test
	@Order(10)
	void theNestedGuestEndsItsPartCleanly() throws Exception {
		String done = VsockClients.restClient(L2_CID, L2_SERVER_PORT).get().uri("/done").retrieve().body(String.class);
		assertThat(done).startsWith("cid=2 ");
		assertThat(this.l2.waitFor(L2_PATIENCE.toMinutes(), TimeUnit.MINUTES)).as("L2 powered off").isTrue();
		assertThat(this.l2.exitValue()).as("L2's exit code; its log:%n%s", log()).isZero();
		assertThat(log()).contains("L2 done");
	}

	private ConfigurableApplicationContext start(Class<?> application, String... properties) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
			.properties("server.port=-1", "server.vsock.port=0", "management.endpoints.web.exposure.include=health",
					"management.endpoint.health.show-details=always")
			.properties(properties)
			.run();
		this.applications.add(context);
		return context;
	}

	private static long vsockPort(ConfigurableApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.vsock.port", Long.class);
	}

	/** A gRPC server on vsock, without an application context, that admits the nested guest only. */
	private long startGrpcServerForTheNestedGuestOnly() throws IOException {
		this.grpcFactory = new VsockGrpcServerFactory(List.of(), null, null, null);
		this.grpcFactory.setVsockAddress(VsockAddress.of(VsockAddress.CID_ANY, VsockAddress.PORT_ANY));
		this.grpcFactory.setAllowedCids(VsockAllowedCids.parse(List.of(Long.toString(L2_CID))));
		this.grpcFactory.addService(
				ServerInterceptors.intercept(new EchoGrpc().bindService(), new VsockPeerServerInterceptor()));
		this.grpc = this.grpcFactory.createServer().start();
		return this.grpcFactory.getVsockListener().address().port();
	}

	/** A Reactor Netty vsock server without an application context that admits loopback only. */
	private WebServer startLoopbackOnlyServer() {
		VsockNettyReactiveWebServerFactory factory = new VsockNettyReactiveWebServerFactory(
				VsockAddress.of(VsockAddress.CID_ANY, VsockAddress.PORT_ANY), new VsockListeners());
		factory.setPort(-1);
		factory.setAllowedCids(VsockAllowedCids.parse(List.of("local")));
		HttpHandler handler = (request, response) -> response
			.writeWith(Mono.just(response.bufferFactory().wrap("loopback only".getBytes())));
		WebServer server = factory.getWebServer(handler);
		server.start();
		return server;
	}

	/**
	 * Waits for L2 to print a line that starts with "L2 " and the given text, and returns the rest.
	 */
	private String l2Line(String text) {
		String marker = "L2 " + text;
		return await().atMost(L2_PATIENCE)
			.pollInterval(Duration.ofSeconds(1))
			.failFast("the nested guest stopped before printing '" + marker + "'",
					() -> !this.l2.isAlive() && find(text).isEmpty())
			.until(() -> find(text), Optional::isPresent)
			.orElseThrow();
	}

	private Optional<String> find(String text) throws IOException {
		return l2Lines(text).stream().findFirst();
	}

	/**
	 * Returns the rest of every line L2 printed so far that starts with "L2 " and the given text.
	 */
	private List<String> l2Lines(String text) throws IOException {
		String marker = "L2 " + text;
		return log().lines()
			.map(String::strip)
			.filter((line) -> line.startsWith(marker))
			.map((line) -> line.substring(marker.length()))
			.toList();
	}

	private String log() throws IOException {
		return Files.exists(this.l2Log) ? Files.readString(this.l2Log) : "";
	}

	/**
	 * QEMU's human monitor on a Unix socket: a command, then its output up to the next prompt.
	 */
	private static final class QemuMonitor implements AutoCloseable {

		private static final String PROMPT = "(qemu) ";

		private final SocketChannel socket;

		QemuMonitor(Path path) throws IOException {
			this.socket = await().atMost(Duration.ofMinutes(5))
				.ignoreExceptions()
				.until(() -> SocketChannel.open(UnixDomainSocketAddress.of(path)), Objects::nonNull);
			readToPrompt();
		}

		String command(String command) throws IOException {
			write(command);
			return readToPrompt();
		}

		/**
		 * Tells QEMU to quit and waits, a minute at most, for it to close the monitor, so that the
		 * command is read before this side closes.
		 */
		void quit() throws IOException {
			write("quit");
			ByteBuffer buffer = ByteBuffer.allocate(4096);
			try {
				CompletableFuture.runAsync(() -> {
					try {
						while (this.socket.read(buffer.clear()) >= 0) {
							// What QEMU prints before it exits is of no use here.
						}
					}
					catch (IOException ex) {
						// Closed: what is waited for.
					}
				}).get(1, TimeUnit.MINUTES);
			}
			catch (InterruptedException | ExecutionException | TimeoutException ex) {
				// The caller checks whether QEMU ended.
			}
		}

		private void write(String command) throws IOException {
			this.socket.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
		}

		private String readToPrompt() throws IOException {
			StringBuilder output = new StringBuilder();
			ByteBuffer buffer = ByteBuffer.allocate(4096);
			while (!output.toString().endsWith(PROMPT)) {
				buffer.clear();
				if (this.socket.read(buffer) < 0) {
					break;
				}
				output.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII));
			}
			return output.toString();
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

	}

}
