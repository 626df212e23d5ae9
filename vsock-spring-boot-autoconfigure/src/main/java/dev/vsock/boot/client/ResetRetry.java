package dev.vsock.boot.client;

import java.util.Set;

import io.netty.channel.unix.Errors;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.PrematureCloseException;
import reactor.util.retry.Retry;

import org.springframework.http.HttpMethod;

/**
 * When a request is sent again: it is idempotent, and its connection was closed or reset before
 * its response came, as every established vsock connection of a guest is when the guest is
 * restored from a snapshot or migrated, or when its service restarts. Reactor Netty's own retry
 * of such requests cannot serve vsock (it rebuilds the address from an IP address), so the vsock
 * clients switch it off and retry here, when asked to.
 */
final class ResetRetry {

	/** The methods RFC 9110 calls idempotent: sent twice, they do what once does. */
	private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
			HttpMethod.TRACE, HttpMethod.PUT, HttpMethod.DELETE);

	private static final int ECONNRESET = 104;

	private static final int EPIPE = 32;

	private ResetRetry() {
	}

	/**
	 * Returns whether a request may be sent again.
	 * @param method the request's method
	 * @return whether the method is idempotent
	 */
	static boolean isIdempotent(HttpMethod method) {
		return IDEMPOTENT.contains(method);
	}

	/**
	 * Returns whether a failure is a connection closed or reset under a request.
	 * @param failure the failure, or one that wraps it
	 * @return whether it is a reset
	 */
	static boolean isReset(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof PrematureCloseException) {
				return true;
			}
			if (cause instanceof Errors.NativeIoException nativeIo
					&& (-nativeIo.expectedErr() == ECONNRESET || -nativeIo.expectedErr() == EPIPE)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Sends an exchange again while its connection is reset under it, up to the attempts given.
	 * @param <T> the type of the response
	 * @param exchange the exchange, sent anew on each subscription
	 * @param method the request's method: only idempotent ones are sent again
	 * @param attempts how many times to send it in all
	 * @return the exchange with its retries
	 */
	static <T> Mono<T> retry(Mono<T> exchange, HttpMethod method, int attempts) {
		if (attempts <= 1 || !isIdempotent(method)) {
			return exchange;
		}
		return exchange.retryWhen(Retry.max(attempts - 1L).filter(ResetRetry::isReset)
			.onRetryExhaustedThrow((spec, signal) -> signal.failure()));
	}

}
