package dev.vsock.boot.reactor;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import dev.vsock.boot.VsockPeer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The filter lets a request without a connection under it pass with no peer: a mock request, as
 * {@code WebTestClient.bindToApplicationContext} and {@code @WebFluxTest} send, has no native
 * request at all.
 */
class VsockPeerWebFilterTest {

	@Test
	void aMockRequestPassesWithoutAPeer() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/status"));
		boolean[] passed = new boolean[1];
		new VsockPeerWebFilter().filter(exchange, (filtered) -> {
			passed[0] = true;
			return Mono.empty();
		}).block(Duration.ofSeconds(10));
		assertThat(passed[0]).isTrue();
		assertThat(exchange.getAttributes()).doesNotContainKey(VsockPeer.ATTRIBUTE);
	}

}
