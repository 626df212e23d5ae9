package dev.vsock.boot.reactor;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

import dev.vsock.boot.client.VsockClients;
import dev.vsock.boot.testsupport.RequiresVsockLoopback;
import dev.vsock.boot.web.LocalVsockPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The project's own {@code WebClient} and {@code RestClient} calling a WebFlux application over vsock loopback.
 */
@RequiresVsockLoopback
@SpringBootTest(classes = ReactorVsockApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "server.port=-1", "server.vsock.port=0",
				"server.vsock.buffer-size=1MB", "spring.vsock.client.buffer-size=1MB" })
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ReactorVsockWebClientIT {

	@LocalVsockPort
	long vsockPort;

	@Test
	void callsOverVsockAndTheServerSeesCidOne() {
		String answer = VsockClients.webClient(1, this.vsockPort)
			.get()
			.uri("/peer")
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofMinutes(1));
		assertThat(answer).startsWith("cid=1 port=").endsWith(" local=" + this.vsockPort);
	}

	@Test
	void restClientPostsAndReadsOverVsock() {
		byte[] body = new byte[3 * 1024 * 1024];
		Arrays.fill(body, (byte) 7);
		CRC32 crc = new CRC32();
		crc.update(body);
		String answer = VsockClients.restClient(1, this.vsockPort)
			.post()
			.uri("/upload")
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.body(body)
			.retrieve()
			.body(String.class);
		assertThat(answer).isEqualTo(body.length + " " + crc.getValue());
	}

	@Test
	void vsockUrisNameTheTargetForBothClients() {
		String uri = "vsock://local:" + this.vsockPort + "/peer";
		String web = VsockClients.webClient().get().uri(uri).retrieve().bodyToMono(String.class).block(Duration.ofMinutes(1));
		String rest = VsockClients.restClient().get().uri(uri).retrieve().body(String.class);
		assertThat(web).startsWith("cid=1 port=").endsWith(" local=" + this.vsockPort);
		assertThat(rest).startsWith("cid=1 port=").endsWith(" local=" + this.vsockPort);
	}

	@Test
	void theAutoConfiguredWebClientBuilderCallsVsockUris(@Autowired WebClient.Builder builder) {
		String answer = builder.build()
			.get()
			.uri("vsock://1:" + this.vsockPort + "/peer")
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofMinutes(1));
		assertThat(answer).startsWith("cid=1 port=").endsWith(" local=" + this.vsockPort);
	}

	@Test
	void readsAServerSentEventStream() {
		List<String> events = VsockClients.webClient(1, this.vsockPort)
			.get()
			.uri("/events")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.retrieve()
			.bodyToFlux(String.class)
			.collectList()
			.block(Duration.ofMinutes(1));
		assertThat(events).containsExactly("one", "two", "three");
	}

}
