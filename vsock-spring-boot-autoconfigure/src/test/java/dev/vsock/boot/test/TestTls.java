package dev.vsock.boot.test;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

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

}
