package dev.vsock.boot.autoconfigure.client;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.unit.DataSize;

import dev.vsock.boot.client.VsockClientSettings;

/**
 * How the auto-configured {@code WebClient.Builder} and {@code RestClient.Builder} call
 * {@code vsock://<cid>:<port>/path} URIs.
 */
@ConfigurationProperties("spring.vsock.client")
public class VsockClientProperties {

	/**
	 * Whether the auto-configured WebClient.Builder and RestClient.Builder call
	 * 'vsock://<cid>:<port>/path' URIs over vsock.
	 */
	private boolean enabled = true;

	/**
	 * How long connecting to a vsock service may take; the kernel, which gives up after 2s of its
	 * own unless told, is told the same. 30s (the Netty default) when not set.
	 */
	private @Nullable Duration connectTimeout;

	/**
	 * How long to wait for the response of a vsock service once the request is sent. No limit when
	 * not set.
	 */
	private @Nullable Duration responseTimeout;

	/**
	 * Receive buffer of each vsock connection (SO_VM_SOCKETS_BUFFER_SIZE, and its maximum), which
	 * bounds how much a service may send before the client reads: larger buffers speed up large
	 * downloads. Unset, the kernel default applies (256KB).
	 */
	private @Nullable DataSize bufferSize;

	private final ConnectRetry connectRetry = new ConnectRetry();

	private final RequestRetry requestRetry = new RequestRetry();

	private final Ssl ssl = new Ssl();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(@Nullable Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public @Nullable Duration getResponseTimeout() {
		return this.responseTimeout;
	}

	public void setResponseTimeout(@Nullable Duration responseTimeout) {
		this.responseTimeout = responseTimeout;
	}

	public @Nullable DataSize getBufferSize() {
		return this.bufferSize;
	}

	public void setBufferSize(@Nullable DataSize bufferSize) {
		if (bufferSize != null && bufferSize.toBytes() <= 0) {
			throw new IllegalArgumentException("Invalid spring.vsock.client.buffer-size " + bufferSize
					+ ": give a positive size, for example 1MB, or leave it unset for the kernel default (256KB)");
		}
		this.bufferSize = bufferSize;
	}

	public ConnectRetry getConnectRetry() {
		return this.connectRetry;
	}

	public RequestRetry getRequestRetry() {
		return this.requestRetry;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	/**
	 * Returns the settings the vsock connectors apply.
	 * @param sslBundles where the SSL bundle named by {@code ssl.bundle} is looked up
	 * @return the settings
	 */
	public VsockClientSettings toSettings(SslBundles sslBundles) {
		String bundle = this.ssl.bundle;
		return new VsockClientSettings(this.connectTimeout, this.responseTimeout, this.connectRetry.maxAttempts,
				this.connectRetry.firstBackoff, (bundle != null) ? sslBundles.getBundle(bundle) : null,
				this.ssl.serverName, (this.bufferSize != null) ? this.bufferSize.toBytes() : null,
				this.requestRetry.maxAttempts);
	}

	/**
	 * Retries of an idempotent request whose connection was closed or reset before its response.
	 */
	public static class RequestRetry {

		/**
		 * How many times to send an idempotent request (GET, HEAD, OPTIONS, TRACE, PUT, DELETE)
		 * whose connection was closed or reset before its response, as every connection of a guest
		 * is when it is restored from a snapshot or migrated; each try is on a new connection. 1 for
		 * no retry. Other requests and other failures are never sent again.
		 */
		private int maxAttempts = 1;

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

	}

	/**
	 * Retries of a connect that the vsock service refused, reset or let time out.
	 */
	public static class ConnectRetry {

		/**
		 * How many times to try to connect to a vsock service that refuses or resets the connection
		 * (nothing listens yet, as while a guest boots) or lets it time out. 1 for no retry. A connect
		 * retry never sends a request twice (request retries are request-retry.max-attempts).
		 */
		private int maxAttempts = 1;

		/**
		 * The wait before the first retry, doubled for each next one, up to 5s.
		 */
		private Duration firstBackoff = Duration.ofMillis(200);

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getFirstBackoff() {
			return this.firstBackoff;
		}

		public void setFirstBackoff(Duration firstBackoff) {
			this.firstBackoff = firstBackoff;
		}

	}

	/**
	 * TLS for the connections to vsock services.
	 */
	public static class Ssl {

		/**
		 * Name of the SSL bundle (spring.ssl.bundle.*) whose trust material verifies the certificate
		 * chain of vsock services, and whose key, if any, is the client certificate. Plain HTTP when
		 * not set.
		 */
		private @Nullable String bundle;

		/**
		 * DNS name the certificate of a vsock service must match, sent as SNI too. A vsock address
		 * has no host name to check: when not set, only the certificate chain is verified.
		 */
		private @Nullable String serverName;

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

		public @Nullable String getServerName() {
			return this.serverName;
		}

		public void setServerName(@Nullable String serverName) {
			this.serverName = serverName;
		}

	}

}
