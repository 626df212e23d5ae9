package dev.vsock.boot.client;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.web.reactive.function.client.WebClient;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.reactor.ReactorVsockApplication;
import dev.vsock.boot.testsupport.RequiresVsockLoopback;
import dev.vsock.boot.testsupport.TestTls;
import dev.vsock.boot.web.LocalVsockPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The project's clients over TLS: a vsock-only WebFlux application serves HTTPS
 * ({@code server.ssl}) on vsock loopback, and {@code VsockClients} and the auto-configured
 * {@code WebClient.Builder} ({@code spring.vsock.client.ssl.*}) call it, verifying its certificate
 * against their SSL bundle and, when asked, its name.
 */
@RequiresVsockLoopback
@SpringBootTest(classes = ReactorVsockApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "server.port=-1", "server.vsock.port=0",
				"server.ssl.certificate=classpath:tls/server.crt",
				"server.ssl.certificate-private-key=classpath:tls/server.key",
				"spring.ssl.bundle.pem.vsock-client.truststore.certificate=classpath:tls/server.crt",
				"spring.vsock.client.ssl.bundle=vsock-client", "spring.vsock.client.ssl.server-name=vsock-test" })
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class VsockClientTlsIT {

	@LocalVsockPort
	long vsockPort;

	@Autowired
	WebClient.Builder webClientBuilder;

	@Test
	void restClientVerifiesTheChainAgainstItsBundle() {
		VsockClientSettings settings = VsockClientSettings.defaults().withSslBundle(TestTls.clientBundle());
		String answer = VsockClients.restClient(VsockAddress.CID_LOCAL, this.vsockPort, settings)
			.get()
			.uri("/peer")
			.retrieve()
			.body(String.class);
		assertThat(answer).startsWith("cid=1 port=").endsWith(" local=" + this.vsockPort);
	}

	@Test
	void webClientChecksTheExpectedServerName() {
		VsockClientSettings settings = VsockClientSettings.defaults()
			.withSslBundle(TestTls.clientBundle(), "vsock-test");
		assertThat(get(settings)).startsWith("cid=1 port=");
	}

	@Test
	void failsWithATlsErrorWhenItsTrustDoesNotVouchForTheServer() {
		// The JDK's default trust store: public CAs, not the test certificate.
		VsockClientSettings settings = VsockClientSettings.defaults().withSslBundle(SslBundle.of(null));
		TestTls.assertHandshakeFailure(catchThrowable(() -> get(settings)), "PKIX path building failed");
	}

	@Test
	void failsWithATlsErrorWhenTheCertificateIsForAnotherName() {
		VsockClientSettings settings = VsockClientSettings.defaults()
			.withSslBundle(TestTls.clientBundle(), "agent.internal");
		TestTls.assertHandshakeFailure(catchThrowable(() -> get(settings)), "No name matching agent.internal");
	}

	@Test
	void theAutoConfiguredBuilderSpeaksTlsToVsockUrisAsTheBundlePropertySays() {
		String answer = this.webClientBuilder.build()
			.get()
			.uri("vsock://1:" + this.vsockPort + "/peer")
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofMinutes(1));
		assertThat(answer).startsWith("cid=1 port=").endsWith(" local=" + this.vsockPort);
	}

	private String get(VsockClientSettings settings) {
		return VsockClients.webClient(VsockAddress.CID_LOCAL, this.vsockPort, settings)
			.get()
			.uri("/peer")
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofMinutes(1));
	}

}
