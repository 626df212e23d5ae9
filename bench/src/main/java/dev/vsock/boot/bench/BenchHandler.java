package dev.vsock.boot.bench;

import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;

/**
 * The benchmark's endpoints as a bare {@link HttpHandler}, so that Reactor Netty is measured
 * without WebFlux's dispatcher.
 */
final class BenchHandler implements HttpHandler {

	@Override
	public Mono<Void> handle(ServerHttpRequest request, ServerHttpResponse response) {
		if (HttpMethod.POST.equals(request.getMethod())) {
			return request.getBody().reduce(0L, (count, buffer) -> {
				long total = count + buffer.readableByteCount();
				DataBufferUtils.release(buffer);
				return total;
			}).defaultIfEmpty(0L).flatMap((count) -> write(response, Endpoints.received(count)));
		}
		if (Endpoints.MEMORY.equals(request.getPath().value())) {
			// Off the event loop: a full collection is long.
			return Mono.fromCallable(Endpoints::memory)
				.subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic())
				.flatMap((json) -> write(response, json));
		}
		return write(response, Endpoints.greeting());
	}

	private static Mono<Void> write(ServerHttpResponse response, byte[] json) {
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		response.getHeaders().setContentLength(json.length);
		DataBuffer body = response.bufferFactory().wrap(json);
		return response.writeWith(Mono.just(body));
	}

}
