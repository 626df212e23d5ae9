package dev.vsock.boot.client;

import java.util.List;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSessionContext;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolNegotiator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.HttpClient;
import reactor.netty.tcp.SslProvider;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslOptions;

/**
 * TLS for a vsock client from an {@link SslBundle}: the server's chain is verified against the
 * bundle's trust material, and its name against the expected server name when there is one.
 *
 * <p>A vsock address has no host name, and Reactor Netty creates the TLS engine of a connection to
 * a non-IP address without one: its default, HTTPS endpoint identification of the remote host,
 * could only fail. So the provider is handed to {@link HttpClient#secure(SslProvider)}, which adds
 * nothing of its own, and the expected server name, when given, stands in for the host name: it is
 * sent as SNI and the certificate must match it as it would match a host name over TCP.
 */
final class VsockClientTls {

	/** The port the engine is created with: a vsock port is no TCP port, and none is needed. */
	private static final int NO_PORT = -1;

	private VsockClientTls() {
	}

	/**
	 * Returns a client that connects over TLS.
	 * @param client the client
	 * @param bundle the key and trust material, protocols and ciphers
	 * @param serverName the name the server's certificate must match, or {@code null} to verify
	 * the chain only
	 * @return the client with TLS
	 */
	static HttpClient secure(HttpClient client, SslBundle bundle, @Nullable String serverName) {
		SslContext context = context(bundle, serverName);
		SslProvider.Builder provider = SslProvider.builder()
			.sslContext((serverName != null) ? new ServerNameSslContext(context, serverName) : context);
		if (serverName != null) {
			provider.serverNames(new SNIHostName(serverName));
		}
		return client.secure(provider.build());
	}

	private static SslContext context(SslBundle bundle, @Nullable String serverName) {
		SslManagerBundle managers = bundle.getManagers();
		SslOptions options = bundle.getOptions();
		try {
			return SslContextBuilder.forClient()
				.keyManager(managers.getKeyManagerFactory())
				.trustManager(managers.getTrustManagerFactory())
				.ciphers(SslOptions.asSet(options.getCiphers()))
				.protocols(options.getEnabledProtocols())
				.endpointIdentificationAlgorithm((serverName != null) ? "HTTPS" : null)
				.build();
		}
		catch (SSLException ex) {
			throw new IllegalStateException("Failed to set up TLS for a vsock client from its SSL bundle ("
					+ ex.getMessage() + "): check the bundle's key and trust material", ex);
		}
	}

	/**
	 * A client context whose engines take the expected server name for the peer's host name, which
	 * the JDK checks the certificate against.
	 */
	private static final class ServerNameSslContext extends SslContext {

		private final SslContext context;

		private final String serverName;

		ServerNameSslContext(SslContext context, String serverName) {
			this.context = context;
			this.serverName = serverName;
		}

		@Override
		public boolean isClient() {
			return true;
		}

		@Override
		public List<String> cipherSuites() {
			return this.context.cipherSuites();
		}

		@Override
		public ApplicationProtocolNegotiator applicationProtocolNegotiator() {
			return this.context.applicationProtocolNegotiator();
		}

		@Override
		public SSLEngine newEngine(ByteBufAllocator alloc) {
			return this.context.newEngine(alloc, this.serverName, NO_PORT);
		}

		@Override
		public SSLEngine newEngine(ByteBufAllocator alloc, String peerHost, int peerPort) {
			return this.context.newEngine(alloc, this.serverName, NO_PORT);
		}

		@Override
		public SSLSessionContext sessionContext() {
			return this.context.sessionContext();
		}

	}

}
