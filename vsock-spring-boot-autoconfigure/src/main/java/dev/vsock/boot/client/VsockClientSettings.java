package dev.vsock.boot.client;

import java.net.ConnectException;
import java.time.Duration;
import java.util.Objects;

import io.netty.channel.ChannelOption;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.HttpClient;
import reactor.util.retry.Retry;

/**
 * Timeouts and connect retries for a vsock client.
 *
 * <p>Connect retries are for the boot-time race, where a guest's service is not listening yet
 * when its caller starts: a connection that the peer refuses or resets (nothing listens on the
 * port yet) or that times out is tried again, after a back-off that doubles from
 * {@code firstBackoff} up to {@link #MAX_BACKOFF}, until {@code connectAttempts} attempts were
 * made. A request is never sent twice: only connecting is retried.
 *
 * @param connectTimeout how long a connect may take, {@code null} for Netty's default (30 s)
 * @param responseTimeout how long to wait for a response once the request is sent, {@code null}
 * for no limit
 * @param connectAttempts how many times to try to connect, 1 for once (no retry)
 * @param firstBackoff the wait before the first retry
 */
public record VsockClientSettings(@Nullable Duration connectTimeout, @Nullable Duration responseTimeout,
		int connectAttempts, Duration firstBackoff) {

	/** The longest wait between two connect attempts. */
	public static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

	private static final VsockClientSettings DEFAULTS = new VsockClientSettings(null, null, 1,
			Duration.ofMillis(200));

	/**
	 * Checks the settings.
	 * @param connectTimeout how long a connect may take, {@code null} for Netty's default
	 * @param responseTimeout how long to wait for a response, {@code null} for no limit
	 * @param connectAttempts how many times to try to connect, at least 1
	 * @param firstBackoff the wait before the first retry
	 */
	public VsockClientSettings {
		if (connectTimeout != null && (connectTimeout.isNegative() || connectTimeout.isZero()
				|| connectTimeout.toMillis() > Integer.MAX_VALUE)) {
			throw new IllegalArgumentException("Invalid connect timeout " + connectTimeout
					+ ": give a positive duration of at most " + Integer.MAX_VALUE + " ms");
		}
		if (responseTimeout != null && (responseTimeout.isNegative() || responseTimeout.isZero())) {
			throw new IllegalArgumentException(
					"Invalid response timeout " + responseTimeout + ": give a positive duration");
		}
		if (connectAttempts < 1) {
			throw new IllegalArgumentException(
					"Invalid number of connect attempts " + connectAttempts + ": 1 means no retry, more retry");
		}
		Objects.requireNonNull(firstBackoff, "firstBackoff");
		if (firstBackoff.isNegative()) {
			throw new IllegalArgumentException("Invalid first back-off " + firstBackoff + ": it cannot be negative");
		}
	}

	/**
	 * Returns the defaults: Netty's connect timeout, no response timeout, one connect attempt.
	 * @return the default settings
	 */
	public static VsockClientSettings defaults() {
		return DEFAULTS;
	}

	/**
	 * Returns these settings with another connect timeout.
	 * @param connectTimeout how long a connect may take, {@code null} for Netty's default
	 * @return the new settings
	 */
	public VsockClientSettings withConnectTimeout(@Nullable Duration connectTimeout) {
		return new VsockClientSettings(connectTimeout, this.responseTimeout, this.connectAttempts, this.firstBackoff);
	}

	/**
	 * Returns these settings with another response timeout.
	 * @param responseTimeout how long to wait for a response, {@code null} for no limit
	 * @return the new settings
	 */
	public VsockClientSettings withResponseTimeout(@Nullable Duration responseTimeout) {
		return new VsockClientSettings(this.connectTimeout, responseTimeout, this.connectAttempts, this.firstBackoff);
	}

	/**
	 * Returns these settings with connect retries.
	 * @param connectAttempts how many times to try to connect, 1 for no retry
	 * @param firstBackoff the wait before the first retry, doubled for each next one
	 * @return the new settings
	 */
	public VsockClientSettings withConnectRetries(int connectAttempts, Duration firstBackoff) {
		return new VsockClientSettings(this.connectTimeout, this.responseTimeout, connectAttempts, firstBackoff);
	}

	/**
	 * Applies the settings to a Reactor Netty client.
	 * @param client the client
	 * @return the client with the settings
	 */
	public HttpClient applyTo(HttpClient client) {
		HttpClient result = client;
		if (this.connectTimeout != null) {
			result = result.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) this.connectTimeout.toMillis());
		}
		if (this.responseTimeout != null) {
			result = result.responseTimeout(this.responseTimeout);
		}
		if (this.connectAttempts > 1) {
			Retry retry = Retry.backoff(this.connectAttempts - 1L, this.firstBackoff)
				.maxBackoff(MAX_BACKOFF)
				.filter(ConnectException.class::isInstance)
				.onRetryExhaustedThrow((spec, signal) -> signal.failure());
			result = result.mapConnect((connect) -> connect.retryWhen(retry));
		}
		return result;
	}

}
