package dev.vsock.boot.client;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;

import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.ssl.SslHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.boot.ssl.SslBundle;

import dev.vsock.boot.testsupport.TestTls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * TLS of {@link VsockClientSettings} against a TLS server on a Unix socket, which, like a vsock
 * address, has no host name: Reactor Netty creates the TLS engine of both without one. Runs on the
 * build machine; the guest's {@code VsockClientTlsIT} does the same over vsock.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class VsockClientTlsTest {

	@TempDir
	Path directory;

	private DisposableServer server;

	private DomainSocketAddress address;

	@BeforeEach
	void startTlsServer() {
		this.address = new DomainSocketAddress(this.directory.resolve("tls.sock").toString());
		Http11SslContextSpec tls = Http11SslContextSpec.forServer(resource("server.crt"), resource("server.key"));
		this.server = HttpServer.create()
			.bindAddress(() -> this.address)
			.secure((spec) -> spec.sslContext(tls))
			.route((routes) -> routes.get("/sni",
					(request, response) -> response.sendString(Mono.fromSupplier(() -> sni(request)))))
			.bindNow();
	}

	@AfterEach
	void stopTlsServer() {
		this.server.disposeNow();
	}

	@Test
	void verifiesTheChainAgainstTheBundleAndNoNameWithoutAServerName() {
		VsockClientSettings settings = VsockClientSettings.defaults().withSslBundle(TestTls.clientBundle());
		assertThat(get(settings)).isEqualTo("sni=");
	}

	@Test
	void checksTheExpectedServerNameAgainstTheCertificateAndSendsItAsSni() {
		VsockClientSettings settings = VsockClientSettings.defaults()
			.withSslBundle(TestTls.clientBundle(), "vsock-test");
		assertThat(get(settings)).isEqualTo("sni=vsock-test");
	}

	@Test
	void failsWithATlsErrorNamingTheExpectedServerNameWhenTheCertificateIsForAnother() {
		VsockClientSettings settings = VsockClientSettings.defaults()
			.withSslBundle(TestTls.clientBundle(), "agent.internal");
		TestTls.assertHandshakeFailure(catchThrowable(() -> get(settings)), "No name matching agent.internal");
	}

	@Test
	void failsWithATlsErrorWhenTheBundleDoesNotTrustTheServer() {
		VsockClientSettings settings = VsockClientSettings.defaults().withSslBundle(SslBundle.of(null));
		TestTls.assertHandshakeFailure(catchThrowable(() -> get(settings)), "PKIX path building failed");
	}

	@Test
	void isPlainHttpWithoutABundle() {
		assertThatException().isThrownBy(() -> get(VsockClientSettings.defaults()));
	}

	private String get(VsockClientSettings settings) {
		HttpClient client = settings.applyTo(HttpClient.create().remoteAddress(() -> this.address));
		return client.get().uri("/sni").responseContent().aggregate().asString().block(Duration.ofSeconds(30));
	}

	/**
	 * Returns the server names the client sent (SNI), as the server's TLS session has them.
	 */
	private static String sni(HttpServerRequest request) {
		String[] names = new String[1];
		request.withConnection((connection) -> {
			ExtendedSSLSession session = (ExtendedSSLSession) connection.channel()
				.pipeline()
				.get(SslHandler.class)
				.engine()
				.getSession();
			names[0] = session.getRequestedServerNames()
				.stream()
				.map((name) -> ((SNIHostName) name).getAsciiName())
				.collect(Collectors.joining(","));
		});
		return "sni=" + names[0];
	}

	private static InputStream resource(String name) {
		return VsockClientTlsTest.class.getResourceAsStream("/tls/" + name);
	}

}
