package dev.vsock.boot.hybrid;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.tcp.SslProvider;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.vsock.boot.tomcat.TomcatVsockApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * TLS on the Tomcat vsock endpoint as Tomcat's NIO connector has it: ALPN (h2 over TLS), the
 * peer's alert when the handshake fails, and a plain-text request on the TLS listener told to use
 * TLS. The endpoint is the same over hybrid vsock's Unix socket, where the build machine may
 * connect.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class HybridVsockTomcatTlsTest {

	@TempDir
	Path directory;

	private ConfigurableApplicationContext context;

	private Path listener;

	@BeforeEach
	void startTomcatWithTlsAndHttp2() {
		Path uds = this.directory.resolve("v.sock");
		this.listener = uds.resolveSibling("v.sock_5052");
		this.context = new SpringApplicationBuilder(TomcatVsockApplication.class).web(WebApplicationType.SERVLET)
			.properties("server.port=-1", "server.vsock.port=5052", "server.vsock.hybrid.uds-path=" + uds,
					"server.ssl.certificate=classpath:tls/server.crt",
					"server.ssl.certificate-private-key=classpath:tls/server.key", "server.http2.enabled=true")
			.run();
	}

	@AfterEach
	void stop() {
		this.context.close();
	}

	@Test
	void negotiatesH2WithAlpn() throws Exception {
		// A Unix socket has no host name to check the certificate against: the chain is checked.
		SslContext alpnH2 = SslContextBuilder.forClient()
			.trustManager(getClass().getResourceAsStream("/tls/server.crt"))
			.endpointIdentificationAlgorithm(null)
			.applicationProtocolConfig(new ApplicationProtocolConfig(Protocol.ALPN,
					SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT, "h2"))
			.build();
		HttpClient h2 = client().protocol(HttpProtocol.H2).secure(SslProvider.builder().sslContext(alpnH2).build());
		String answer = h2.get()
			.uri("/peer")
			.responseSingle((response, body) -> body.asString()
				.map((text) -> response.version() + " " + text))
			.block(Duration.ofMinutes(1));
		assertThat(answer).isEqualTo("HTTP/2.0 tcp");
	}

	@Test
	void aFailedHandshakeTellsTheClientWhy() {
		// Only suites for an ECDSA certificate, which the server (RSA) does not have.
		HttpClient ecdsaOnly = client().secure((spec) -> spec.sslContext(Http11SslContextSpec.forClient()
			.configure((builder) -> tlsV12Only(builder).ciphers(List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"))
				.trustManager(getClass().getResourceAsStream("/tls/server.crt")))));
		Throwable failure = catchThrowable(
				() -> ecdsaOnly.get().uri("/peer").responseContent().aggregate().asString().block(Duration.ofMinutes(1)));
		assertThat(failure).hasStackTraceContaining("Received fatal alert: handshake_failure");
	}

	@Test
	void aPlainTextRequestOnTheTlsListenerIsToldToUseTls() throws Exception {
		try (SocketChannel plain = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			plain.connect(UnixDomainSocketAddress.of(this.listener));
			plain.write(ByteBuffer.wrap("GET /peer HTTP/1.1\r\nHost: vmm\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
			ByteBuffer answer = ByteBuffer.allocate(4096);
			while (plain.read(answer) >= 0 && answer.hasRemaining()) {
				// until the server closes
			}
			assertThat(new String(answer.array(), 0, answer.position(), StandardCharsets.ISO_8859_1))
				.startsWith("HTTP/1.1 400 ")
				.contains("This combination of host and port requires TLS.");
		}
	}

	private HttpClient client() {
		return HttpClient.create().remoteAddress(() -> new DomainSocketAddress(this.listener.toString()));
	}

	private static SslContextBuilder tlsV12Only(SslContextBuilder builder) {
		return builder.protocols("TLSv1.2");
	}

}
