package dev.vsock.boot.hybrid;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.unix.DomainSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

import dev.vsock.boot.testsupport.VsockServerChecks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The hybrid vsock clients through a Firecracker-like Unix socket ({@link FirecrackerVsockMuxer})
 * to a "guest" HTTP server. Only Unix sockets are involved, so this runs on the build machine.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class HybridVsockClientsTest {

	@TempDir
	Path directory;

	private DisposableServer guest;

	private FirecrackerVsockMuxer muxer;

	private Path udsPath;

	@BeforeEach
	void startGuestAndVmm() throws Exception {
		Path guestListener = this.directory.resolve("guest_52");
		this.guest = HttpServer.create()
			.bindAddress(() -> new DomainSocketAddress(guestListener.toString()))
			.route((routes) -> routes.get("/status", (request, response) -> response.sendString(Mono.just("up")))
				.post("/upload", (request, response) -> response.sendString(request.receive()
					.aggregate()
					.asByteArray()
					.map((body) -> body.length + " " + VsockServerChecks.crc(body)))))
			.bindNow();
		this.udsPath = this.directory.resolve("v.sock");
		this.muxer = new FirecrackerVsockMuxer(this.udsPath, (port) -> (port == 52) ? guestListener : null);
	}

	@AfterEach
	void stop() throws Exception {
		this.muxer.close();
		this.guest.disposeNow();
	}

	@Test
	void restClientConnectsToTheGuestPortAndReusesTheConnection() {
		RestClient client = HybridVsockClients.restClient(this.udsPath, 52);
		assertThat(client.get().uri("/status").retrieve().body(String.class)).isEqualTo("up");
		assertThat(client.get().uri("/status").retrieve().body(String.class)).isEqualTo("up");
		assertThat(this.muxer.commands()).as("one pooled connection, one CONNECT").containsExactly("CONNECT 52");
	}

	@Test
	void webClientPostsAMebibyte() {
		byte[] body = VsockServerChecks.pattern(1024 * 1024);
		String answer = HybridVsockClients.webClient(this.udsPath, 52)
			.post()
			.uri("/upload")
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.bodyValue(body)
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofMinutes(1));
		assertThat(answer).isEqualTo(body.length + " " + VsockServerChecks.crc(body));
	}

	@Test
	void aGuestPortWithoutListenerFailsWithTheReason() {
		RestClient client = HybridVsockClients.restClient(this.udsPath, 53);
		assertThatExceptionOfType(RestClientException.class)
			.isThrownBy(() -> client.get().uri("/status").retrieve().body(String.class))
			.havingRootCause()
			.isInstanceOf(HybridVsockConnectException.class)
			.withMessageContaining("Nothing accepted the connection to vsock port 53 through " + this.udsPath);
		assertThat(this.muxer.commands()).containsExactly("CONNECT 53");
	}

	@Test
	void aMissingVmmSocketNamesThePath() {
		Path missing = this.directory.resolve("no-such.sock");
		assertThat(Files.exists(missing)).isFalse();
		RestClient client = HybridVsockClients.restClient(missing, 52);
		assertThatExceptionOfType(RestClientException.class)
			.isThrownBy(() -> client.get().uri("/status").retrieve().body(String.class))
			.havingRootCause()
			.isInstanceOf(HybridVsockConnectException.class)
			.withMessageContaining("No Unix socket at " + missing + " to reach vsock port 52");
	}

	@Test
	void theListenerPathForGuestConnectionsIsTheSocketPathAndThePort() {
		assertThat(HybridVsockClients.hostListenerPath(Path.of("/run/fc/v.sock"), 52))
			.isEqualTo(Path.of("/run/fc/v.sock_52"));
	}


}
