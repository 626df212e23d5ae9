package dev.vsock.boot.test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.client.VsockClients;
import dev.vsock.boot.test.junit.EnabledIfVsockTransport;
import dev.vsock.boot.transport.VsockTransport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user's test does with this module: a stand-in vsock service, called over loopback with
 * the starter's client, guarded by the transport condition (in the project's guest run, which
 * sets vsock.required=true, a missing loopback fails it).
 */
@EnabledIfVsockTransport(VsockTransport.LOOPBACK)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class VsockTestServerIT {

	@Test
	@Tag("smoke")
	void aTestServerAnswersTheStartersClientOverLoopback() {
		try (VsockTestServer agent = VsockTestServer
			.start((request, response) -> response.sendString(Mono.just("up at " + request.uri())))) {
			assertThat(agent.port()).isNotEqualTo(VsockAddress.PORT_ANY);
			String status = VsockClients.webClient(VsockAddress.CID_LOCAL, agent.port())
				.get()
				.uri("/status")
				.retrieve()
				.bodyToMono(String.class)
				.block(Duration.ofMinutes(1));
			assertThat(status).isEqualTo("up at /status");
		}
	}

}
