package dev.vsock.boot.hybrid;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.unix.DomainSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.http.client.HttpClient;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.reactor.ReactorVsockApplication;
import dev.vsock.boot.web.VsockListener;
import dev.vsock.boot.web.VsockListeners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The host side of hybrid vsock on Reactor Netty: with {@code server.vsock.hybrid.uds-path} the
 * WebFlux application listens on {@code <uds_path>_<port>}, where Firecracker forwards the guest's
 * connections to the host. The test connects to that Unix socket as the VMM does. Only Unix
 * sockets are involved, so this runs on the build machine.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class HybridVsockHostListenerTest {

	@TempDir
	Path directory;

	@Test
	void servesOnTheUnixSocketTheVmmForwardsTheGuestsConnectionsTo() throws Exception {
		Path uds = this.directory.resolve("v.sock");
		Path listener = uds.resolveSibling("v.sock_5052");
		try (ConfigurableApplicationContext context = start("server.vsock.port=5052",
				"server.vsock.hybrid.uds-path=" + uds, "management.endpoints.web.exposure.include=health",
				"management.endpoint.health.show-details=always")) {
			assertThat(listener).exists();
			HttpClient vmm = HttpClient.create().remoteAddress(() -> new DomainSocketAddress(listener.toString()));
			assertThat(get(vmm, "/peer")).as("no CID over the Unix socket").isEqualTo("tcp");
			assertThat(get(vmm, "/actuator/health/vsock")).contains("\"status\":\"UP\"")
				.contains("\"port\":5052")
				.contains("\"state\":\"listening\"");
			VsockListener registered = context.getBean(VsockListeners.class).all().get(0);
			assertThat(registered.address()).isEqualTo(VsockAddress.of(VsockAddress.CID_HOST, 5052));
			assertThat(registered.isListening()).isTrue();
			assertThat(registered.counters().acceptedCount()).isPositive();
		}
		assertThat(listener).as("removed on shutdown").doesNotExist();
	}

	@Test
	void replacesTheStaleSocketFileOfAnEarlierRun() throws Exception {
		Path uds = this.directory.resolve("v.sock");
		Path listener = uds.resolveSibling("v.sock_5052");
		try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			crashed.bind(UnixDomainSocketAddress.of(listener));
		}
		assertThat(listener).as("a socket file nobody listens on").exists();
		try (ConfigurableApplicationContext context = start("server.vsock.port=5052",
				"server.vsock.hybrid.uds-path=" + uds)) {
			HttpClient vmm = HttpClient.create().remoteAddress(() -> new DomainSocketAddress(listener.toString()));
			assertThat(get(vmm, "/peer")).isEqualTo("tcp");
		}
	}

	@Test
	void needsTheGuestsPortNotAny() {
		assertThatException()
			.isThrownBy(() -> start("server.vsock.port=0", "server.vsock.hybrid.uds-path=" + this.directory.resolve("v.sock")))
			.havingRootCause()
			.withMessageContaining("needs the port the guest calls in server.vsock.port, not 0 (any)");
	}

	@Test
	void refusesAllowedCidsItCannotApply() {
		assertThatException()
			.isThrownBy(() -> start("server.vsock.port=5052", "server.vsock.allowed-cids=3",
					"server.vsock.hybrid.uds-path=" + this.directory.resolve("v.sock")))
			.havingRootCause()
			.withMessageContaining("cannot apply with server.vsock.hybrid.uds-path");
	}

	private static String get(HttpClient client, String path) {
		return client.get().uri(path).responseContent().aggregate().asString().block(Duration.ofSeconds(30));
	}

	private static ConfigurableApplicationContext start(String... properties) {
		return new SpringApplicationBuilder(ReactorVsockApplication.class).web(WebApplicationType.REACTIVE)
			.properties("server.port=-1")
			.properties(properties)
			.run();
	}

}
