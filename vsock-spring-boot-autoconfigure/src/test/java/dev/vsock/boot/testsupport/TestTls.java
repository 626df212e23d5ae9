package dev.vsock.boot.testsupport;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client side of the tests' TLS: trusts exactly the test certificate
 * ({@code src/test/resources/tls/server.crt}).
 */
public final class TestTls {

	private TestTls() {
	}

	/**
	 * Returns a client context that trusts the test certificate. There is no host name to check
	 * over vsock, so none is.
	 * @return the context
	 * @throws SSLException if the context cannot be built
	 */
	public static SslContext client() throws SSLException {
		return SslContextBuilder.forClient()
			.trustManager(TestTls.class.getResourceAsStream("/tls/server.crt"))
			.endpointIdentificationAlgorithm(null)
			.build();
	}

	/**
	 * Returns an SSL bundle that trusts the test certificate, for the project's own clients.
	 * @return the bundle
	 */
	public static SslBundle clientBundle() {
		return SslBundle.of(new PemSslStoreBundle(null, PemSslStoreDetails.forCertificate("classpath:tls/server.crt")));
	}

	/**
	 * Returns the key managers of a server with the test certificate and its key.
	 * @return the key managers
	 */
	public static KeyManagerFactory serverKeyManagers() {
		return SslBundle.of(new PemSslStoreBundle(PemSslStoreDetails.forCertificate("classpath:tls/server.crt")
			.withPrivateKey("classpath:tls/server.key"), null)).getManagers().getKeyManagerFactory();
	}

	/**
	 * Asserts that a failure is a TLS handshake failure, wrapped however the client wraps it.
	 * @param failure what the client threw
	 * @param message what the handshake failure says
	 */
	public static void assertHandshakeFailure(Throwable failure, String message) {
		Throwable cause = failure;
		while (cause != null && !(cause instanceof SSLHandshakeException)) {
			cause = cause.getCause();
		}
		assertThat(cause).as("a TLS handshake failure in %s", failure.toString())
			.isInstanceOf(SSLHandshakeException.class)
			.hasMessageContaining(message);
	}

}
