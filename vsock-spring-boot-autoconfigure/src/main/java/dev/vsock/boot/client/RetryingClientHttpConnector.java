package dev.vsock.boot.client;

import java.net.URI;
import java.util.function.Function;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.http.client.reactive.ClientHttpResponse;

/**
 * A connector that sends an idempotent request again, on a new connection, when its connection
 * was closed or reset before the response ({@link ResetRetry}).
 */
final class RetryingClientHttpConnector implements ClientHttpConnector {

	private final ClientHttpConnector delegate;

	private final int attempts;

	RetryingClientHttpConnector(ClientHttpConnector delegate, int attempts) {
		this.delegate = delegate;
		this.attempts = attempts;
	}

	@Override
	public Mono<ClientHttpResponse> connect(HttpMethod method, URI uri,
			Function<? super ClientHttpRequest, Mono<Void>> requestCallback) {
		return ResetRetry.retry(Mono.defer(() -> this.delegate.connect(method, uri, requestCallback)), method,
				this.attempts);
	}

}
