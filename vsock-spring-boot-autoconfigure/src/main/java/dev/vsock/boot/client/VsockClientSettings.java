package dev.vsock.boot.client;

import java.net.ConnectException;
import java.time.Duration;
import java.util.Objects;

import javax.net.ssl.SNIHostName;

import io.netty.channel.ChannelOption;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.HttpClient;
import reactor.util.retry.Retry;

import org.springframework.boot.ssl.SslBundle;

import dev.vsock.boot.netty.VsockChannelOption;

/**
 * Timeouts, connect and request retries, TLS and the buffer size for a vsock client.
 *
 * <p>Connect retries are for the boot-time race, where a guest's service is not listening yet
 * when its caller starts: a connection that the peer refuses or resets (nothing listens on the
 * port yet) or that times out is tried again, after a back-off that doubles from
 * {@code firstBackoff} up to {@link #MAX_BACKOFF}, until {@code connectAttempts} attempts were
 * made. A request is never sent twice: only connecting is retried.
 *
 * <p>With an SSL bundle the client speaks TLS, and verifies the server's certificate chain
 * against the bundle's trust material. A vsock address has no host name to check the certificate
 * against: give the name the certificate is for as {@code serverName} to have it checked (and sent
 * as SNI), else only the chain is verified, which proves the server holds a key the bundle's
 * trust material vouches for, whatever name its certificate carries.
 *
 * @param connectTimeout how long a connect may take, {@code null} for Netty's default (30 s)
 * @param responseTimeout how long to wait for a response once the request is sent, {@code null}
 * for no limit
 * @param connectAttempts how many times to try to connect, 1 for once (no retry)
 * @param firstBackoff the wait before the first retry
 * @param sslBundle the key and trust material for TLS, {@code null} for plain HTTP
 * @param serverName the DNS name the server's certificate must match, {@code null} to verify the
 * certificate chain only
 * @param bufferSize the receive buffer of each connection, in bytes
 * ({@link VsockChannelOption#BUFFER_SIZE}), which bounds how much the server may send before the
 * client reads; {@code null} for the kernel's default (256 KiB)
 * @param requestAttempts how many times to send an idempotent request (GET, HEAD, OPTIONS, TRACE,
 * PUT, DELETE) whose connection was closed or reset before its response, as a guest's
 * connections are when it is restored from a snapshot or migrated: 1 for once (no retry)
 */
public record VsockClientSettings(@Nullable Duration connectTimeout, @Nullable Duration responseTimeout,
		int connectAttempts, Duration firstBackoff, @Nullable SslBundle sslBundle, @Nullable String serverName,
		@Nullable Long bufferSize, int requestAttempts) {

	/** The longest wait between two connect attempts. */
	public static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

	private static final VsockClientSettings DEFAULTS = new VsockClientSettings(null, null, 1,
			Duration.ofMillis(200), null, null, null, 1);

	/**
	 * Checks the settings.
	 * @param connectTimeout how long a connect may take, {@code null} for Netty's default
	 * @param responseTimeout how long to wait for a response, {@code null} for no limit
	 * @param connectAttempts how many times to try to connect, at least 1
	 * @param firstBackoff the wait before the first retry
	 * @param sslBundle the key and trust material for TLS, {@code null} for plain HTTP
	 * @param serverName the DNS name the server's certificate must match, {@code null} to verify
	 * the certificate chain only
	 * @param bufferSize the receive buffer of each connection in bytes, {@code null} for the
	 * kernel's default
	 * @param requestAttempts how many times to send an idempotent request whose connection was
	 * reset before its response, at least 1
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
		if (serverName != null) {
			checkServerName(serverName, sslBundle);
		}
		if (bufferSize != null && bufferSize <= 0) {
			throw new IllegalArgumentException(
					"Invalid buffer size " + bufferSize + ": give a positive number of bytes, or none");
		}
		if (requestAttempts < 1) {
			throw new IllegalArgumentException("Invalid number of request attempts " + requestAttempts
					+ ": 1 means no retry, more send an idempotent request again after a reset");
		}
	}

	/**
	 * Creates settings with the kernel's buffer size and no request retries.
	 * @param connectTimeout how long a connect may take, {@code null} for Netty's default
	 * @param responseTimeout how long to wait for a response, {@code null} for no limit
	 * @param connectAttempts how many times to try to connect, at least 1
	 * @param firstBackoff the wait before the first retry
	 * @param sslBundle the key and trust material for TLS, {@code null} for plain HTTP
	 * @param serverName the DNS name the server's certificate must match, {@code null} to verify
	 * the certificate chain only
	 */
	public VsockClientSettings(@Nullable Duration connectTimeout, @Nullable Duration responseTimeout,
			int connectAttempts, Duration firstBackoff, @Nullable SslBundle sslBundle, @Nullable String serverName) {
		this(connectTimeout, responseTimeout, connectAttempts, firstBackoff, sslBundle, serverName, null, 1);
	}

	/**
	 * Creates plain HTTP settings.
	 * @param connectTimeout how long a connect may take, {@code null} for Netty's default
	 * @param responseTimeout how long to wait for a response, {@code null} for no limit
	 * @param connectAttempts how many times to try to connect, at least 1
	 * @param firstBackoff the wait before the first retry
	 */
	public VsockClientSettings(@Nullable Duration connectTimeout, @Nullable Duration responseTimeout,
			int connectAttempts, Duration firstBackoff) {
		this(connectTimeout, responseTimeout, connectAttempts, firstBackoff, null, null);
	}

	private static void checkServerName(String serverName, @Nullable SslBundle sslBundle) {
		if (sslBundle == null) {
			throw new IllegalArgumentException("Invalid server name '" + serverName + "' without an SSL bundle: the"
					+ " name is checked against the server's certificate, over TLS only. Give an SSL bundle too"
					+ " (spring.vsock.client.ssl.bundle), or no server name");
		}
		try {
			new SNIHostName(serverName);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("Invalid server name '" + serverName
					+ "': expected the DNS name the server's certificate is for, for example agent.internal", ex);
		}
	}

	/**
	 * Returns the defaults: Netty's connect timeout, no response timeout, one connect attempt,
	 * plain HTTP.
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
		return new VsockClientSettings(connectTimeout, this.responseTimeout, this.connectAttempts, this.firstBackoff,
				this.sslBundle, this.serverName, this.bufferSize, this.requestAttempts);
	}

	/**
	 * Returns these settings with another response timeout.
	 * @param responseTimeout how long to wait for a response, {@code null} for no limit
	 * @return the new settings
	 */
	public VsockClientSettings withResponseTimeout(@Nullable Duration responseTimeout) {
		return new VsockClientSettings(this.connectTimeout, responseTimeout, this.connectAttempts, this.firstBackoff,
				this.sslBundle, this.serverName, this.bufferSize, this.requestAttempts);
	}

	/**
	 * Returns these settings with connect retries.
	 * @param connectAttempts how many times to try to connect, 1 for no retry
	 * @param firstBackoff the wait before the first retry, doubled for each next one
	 * @return the new settings
	 */
	public VsockClientSettings withConnectRetries(int connectAttempts, Duration firstBackoff) {
		return new VsockClientSettings(this.connectTimeout, this.responseTimeout, connectAttempts, firstBackoff,
				this.sslBundle, this.serverName, this.bufferSize, this.requestAttempts);
	}

	/**
	 * Returns these settings with TLS, verifying the server's certificate chain only.
	 * @param sslBundle the key and trust material, {@code null} for plain HTTP
	 * @return the new settings
	 */
	public VsockClientSettings withSslBundle(@Nullable SslBundle sslBundle) {
		return withSslBundle(sslBundle, null);
	}

	/**
	 * Returns these settings with TLS, verifying the server's certificate chain and, when given,
	 * that the certificate is for the expected server name.
	 * @param sslBundle the key and trust material, {@code null} for plain HTTP
	 * @param serverName the DNS name the server's certificate must match (and the SNI sent),
	 * {@code null} to verify the chain only
	 * @return the new settings
	 */
	public VsockClientSettings withSslBundle(@Nullable SslBundle sslBundle, @Nullable String serverName) {
		return new VsockClientSettings(this.connectTimeout, this.responseTimeout, this.connectAttempts,
				this.firstBackoff, sslBundle, serverName, this.bufferSize, this.requestAttempts);
	}

	/**
	 * Returns these settings with another buffer size.
	 * @param bufferSize the receive buffer of each connection in bytes, {@code null} for the
	 * kernel's default
	 * @return the new settings
	 */
	public VsockClientSettings withBufferSize(@Nullable Long bufferSize) {
		return new VsockClientSettings(this.connectTimeout, this.responseTimeout, this.connectAttempts,
				this.firstBackoff, this.sslBundle, this.serverName, bufferSize, this.requestAttempts);
	}

	/**
	 * Returns these settings with request retries: an idempotent request whose connection was
	 * closed or reset before its response is sent again, on a new connection. Other requests, and
	 * other failures, are never sent again.
	 * @param requestAttempts how many times to send such a request in all, 1 for no retry
	 * @return the new settings
	 */
	public VsockClientSettings withRequestRetries(int requestAttempts) {
		return new VsockClientSettings(this.connectTimeout, this.responseTimeout, this.connectAttempts,
				this.firstBackoff, this.sslBundle, this.serverName, this.bufferSize, requestAttempts);
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
		if (this.bufferSize != null) {
			result = result.option(VsockChannelOption.BUFFER_SIZE, this.bufferSize);
		}
		if (this.connectAttempts > 1) {
			Retry retry = Retry.backoff(this.connectAttempts - 1L, this.firstBackoff)
				.maxBackoff(MAX_BACKOFF)
				.filter(ConnectException.class::isInstance)
				.onRetryExhaustedThrow((spec, signal) -> signal.failure());
			result = result.mapConnect((connect) -> connect.retryWhen(retry));
		}
		if (this.sslBundle != null) {
			result = VsockClientTls.secure(result, this.sslBundle, this.serverName);
		}
		return result;
	}

}
