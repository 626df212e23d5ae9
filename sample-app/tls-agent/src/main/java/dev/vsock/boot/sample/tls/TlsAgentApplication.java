package dev.vsock.boot.sample.tls;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;

import dev.vsock.boot.VsockPeer;

/**
 * An agent that serves over vsock with TLS and calls a neighbour, another agent of the same kind,
 * over vsock with TLS: the server's certificate and key, the client's trust and the name it
 * checks all come from SSL bundles in application.yml. The neighbour is a {@code vsock://} URI,
 * which the auto-configured {@link WebClient.Builder} calls over vsock.
 */
@SpringBootApplication
@RestController
public class TlsAgentApplication {

	private final WebClient neighbour;

	TlsAgentApplication(WebClient.Builder builder, @Value("${agent.neighbour}") String neighbour) {
		this.neighbour = builder.baseUrl(neighbour).build();
	}

	public static void main(String[] args) {
		SpringApplication.run(TlsAgentApplication.class, args);
	}

	/**
	 * The agent's status and the caller as the kernel identified it.
	 */
	@GetMapping("/status")
	Map<String, Object> status(@Nullable VsockPeer caller) {
		Map<String, Object> status = new LinkedHashMap<>();
		status.put("agent", "up");
		status.put("callerCid", (caller != null) ? caller.cid() : null);
		return status;
	}

	/**
	 * The neighbour's status, called over vsock with TLS.
	 */
	@GetMapping("/neighbour")
	Mono<Map<String, Object>> neighbour() {
		return this.neighbour.get()
			.uri("/status")
			.retrieve()
			.bodyToMono(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.map((status) -> Map.of("neighbour", status));
	}

}
