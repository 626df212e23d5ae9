package dev.vsock.boot.client;

import java.io.IOException;
import java.net.URI;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.AbstractBufferingClientHttpRequest;
import org.springframework.http.client.AbstractClientHttpRequestFactoryWrapper;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;

/**
 * A request factory whose requests keep their body, to send an idempotent request again, on a new
 * connection, when its connection was closed or reset before the response ({@link ResetRetry}).
 */
final class RetryingClientHttpRequestFactory extends AbstractClientHttpRequestFactoryWrapper {

	private final int attempts;

	RetryingClientHttpRequestFactory(ClientHttpRequestFactory delegate, int attempts) {
		super(delegate);
		this.attempts = attempts;
	}

	@Override
	protected ClientHttpRequest createRequest(URI uri, HttpMethod method, ClientHttpRequestFactory delegate) {
		return new RetryingRequest(uri, method, delegate);
	}

	private final class RetryingRequest extends AbstractBufferingClientHttpRequest {

		private final URI uri;

		private final HttpMethod method;

		private final ClientHttpRequestFactory delegate;

		RetryingRequest(URI uri, HttpMethod method, ClientHttpRequestFactory delegate) {
			this.uri = uri;
			this.method = method;
			this.delegate = delegate;
		}

		@Override
		public HttpMethod getMethod() {
			return this.method;
		}

		@Override
		public URI getURI() {
			return this.uri;
		}

		@Override
		protected ClientHttpResponse executeInternal(HttpHeaders headers, byte[] body) throws IOException {
			int attempts = ResetRetry.isIdempotent(this.method) ? RetryingClientHttpRequestFactory.this.attempts : 1;
			for (int attempt = 1;; attempt++) {
				try {
					return send(headers, body);
				}
				catch (IOException ex) {
					if (attempt >= attempts || !ResetRetry.isReset(ex)) {
						throw ex;
					}
				}
			}
		}

		private ClientHttpResponse send(HttpHeaders headers, byte[] body) throws IOException {
			ClientHttpRequest request = this.delegate.createRequest(this.uri, this.method);
			request.getHeaders().addAll(headers);
			request.getAttributes().putAll(getAttributes());
			if (body.length > 0) {
				request.getBody().write(body);
			}
			return request.execute();
		}

	}

}
