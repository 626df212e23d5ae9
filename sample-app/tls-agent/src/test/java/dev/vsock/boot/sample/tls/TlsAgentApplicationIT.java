package dev.vsock.boot.sample.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.reactive.function.client.WebClient;

import dev.vsock.boot.test.junit.EnabledIfVsockTransport;
import dev.vsock.boot.transport.VsockTransport;
import dev.vsock.boot.web.LocalVsockPort;

/**
 * The TLS agent, as configured in its application.yml (vsock port 5443), its neighbour being
 * itself over vsock loopback (CID 1): a request to /neighbour makes the agent call
 * the neighbour's /status over vsock with TLS, checking its certificate for agent.internal against
 * the sample's CA, and the neighbour sees the caller's CID through TLS. The test calls over vsock
 * with TLS too, with the agent's own client settings. Runs in the test guest.
 */
@EnabledIfVsockTransport(VsockTransport.LOOPBACK)
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT, properties = "agent.neighbour=vsock://1:5443")
class TlsAgentApplicationIT {

	@LocalVsockPort
	long port;

	@Test
	void callsItsNeighbourOverVsockWithTls(@Autowired WebClient.Builder builder) {
		Map<String, Object> answer = builder.build()
			.get()
			.uri("vsock://1:" + this.port + "/neighbour")
			.retrieve()
			.bodyToMono(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.block();
		assertThat(answer).containsEntry("neighbour", Map.of("agent", "up", "callerCid", 1));
	}

}
