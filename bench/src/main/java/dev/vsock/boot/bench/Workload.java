package dev.vsock.boot.bench;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufMono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;

/**
 * A request the HTTP benchmark repeats: a small JSON {@code GET} on a keep-alive connection or
 * on a new connection each time, or a 1 MiB {@code POST}.
 */
enum Workload {

	JSON_GET("GET /json (32 B)") {
		@Override
		Mono<Void> send(HttpClient client) {
			return client.get().uri(Endpoints.JSON).responseSingle(Workload::check);
		}
	},

	/**
	 * A connection's whole life: each request on a new connection, closed after its response
	 * ({@code Connection: close}), so that connecting and closing are measured with it.
	 */
	JSON_GET_NEW_CONNECTION("GET /json, a new connection for each (connect, request, close)") {
		@Override
		Mono<Void> send(HttpClient client) {
			return client.keepAlive(false).get().uri(Endpoints.JSON).responseSingle(Workload::check);
		}

		@Override
		boolean runsAt(int concurrency) {
			return concurrency == 16;
		}
	},

	POST_1MIB("POST /upload (1 MiB)") {
		@Override
		Mono<Void> send(HttpClient client) {
			return client.headers((headers) -> headers.setInt(HttpHeaderNames.CONTENT_LENGTH, BODY.length))
				.post()
				.uri(Endpoints.UPLOAD)
				// A new read-only view per request: the bytes are shared, never copied by us.
				.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(BODY).asReadOnly()))
				.responseSingle(Workload::check);
		}
	};

	static final byte[] BODY = new byte[1024 * 1024];

	private final String label;

	Workload(String label) {
		this.label = label;
	}

	String label() {
		return this.label;
	}

	/**
	 * Whether this workload runs against a target: the targets with larger buffers only take part
	 * in the bulk workload, which is what buffer sizes are for.
	 * @param target the target
	 * @return whether the target's row includes it
	 */
	boolean runsAgainst(HttpTarget target) {
		return this == POST_1MIB || !HttpTarget.VSOCK_BUFFERS.equals(target.transport());
	}

	/**
	 * Whether the matrix runs this workload at a concurrency: every one, except the connection's
	 * whole life, which runs at 16 connections only (the relay's target is judged there).
	 * @param concurrency the number of connections
	 * @return whether the matrix has that row
	 */
	boolean runsAt(int concurrency) {
		return true;
	}

	/**
	 * Sends one request and completes when the whole response has arrived.
	 * @param client the client to send it with
	 * @return completes empty on a 200, with an error otherwise
	 */
	abstract Mono<Void> send(HttpClient client);

	private static Mono<Void> check(HttpClientResponse response, ByteBufMono body) {
		if (response.status().code() != 200) {
			return body.then(Mono.error(new IllegalStateException("Expected 200 but got " + response.status())));
		}
		return body.then();
	}

}
