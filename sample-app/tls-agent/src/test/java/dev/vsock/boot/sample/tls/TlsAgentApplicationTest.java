package dev.vsock.boot.sample.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.web.LocalVsockPort;
import dev.vsock.boot.web.VsockListeners;

/**
 * The TLS agent, as configured in its application.yml but on a port the kernel picks, on the
 * build machine: its vsock listener is up, admits only the host and this machine, and its SSL
 * bundles hold the certificate for agent.internal and the CA that signed it.
 * {@link TlsAgentApplicationIT} calls it over vsock with TLS in the test guest.
 */
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT, properties = "server.vsock.port=0")
class TlsAgentApplicationTest {

	@LocalVsockPort
	long port;

	@Test
	void listensOnVsockAdmittingOnlyTheHostAndThisMachine(@Autowired VsockListeners listeners) {
		assertThat(listeners.all()).singleElement().satisfies((listener) -> {
			assertThat(listener.isListening()).isTrue();
			assertThat(listener.address().port()).isEqualTo(this.port);
			assertThat(listener.admission().allowedCids().allows(VsockAddress.CID_HOST)).isTrue();
			assertThat(listener.admission().allowedCids().allows(VsockAddress.CID_LOCAL)).isTrue();
			assertThat(listener.admission().allowedCids().allows(3)).as("another guest").isFalse();
		});
	}

	@Test
	void itsBundlesHoldTheAgentsCertificateForItsNameAndTheCaThatSignedIt(@Autowired SslBundles bundles)
			throws Exception {
		KeyStore keys = bundles.getBundle("agent").getStores().getKeyStore();
		X509Certificate agent = (X509Certificate) keys.getCertificate(keys.aliases().nextElement());
		assertThat(agent.getSubjectAlternativeNames()).containsExactly(List.of(2, "agent.internal"));
		KeyStore trust = bundles.getBundle("agents").getStores().getTrustStore();
		X509Certificate ca = (X509Certificate) trust.getCertificate(trust.aliases().nextElement());
		agent.verify(ca.getPublicKey());
	}

}
