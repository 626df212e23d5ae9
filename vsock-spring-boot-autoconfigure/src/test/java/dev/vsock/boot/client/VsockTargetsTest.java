package dev.vsock.boot.client;

import java.net.URI;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.http.client.reactive.JdkClientHttpConnector;

import dev.vsock.boot.VsockAddress;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The clients keep something per vsock target they called, but not for every one forever: a host
 * agent talking to one short-lived VM after another calls thousands of CIDs. Nothing connects
 * here: a {@code WebClient} connector's exchange is lazy, and a request factory's request is made,
 * not sent.
 */
class VsockTargetsTest {

	@Test
	void theWebClientsConnectorKeepsABoundedNumberOfTargets() {
		VsockClientHttpConnector connector = new VsockClientHttpConnector(new JdkClientHttpConnector());
		for (int cid = 3; cid < 3003; cid++) {
			connector.connect(HttpMethod.GET, URI.create("vsock://" + cid + ":5000/status"), (request) -> request.setComplete());
		}
		assertThat(connector.targetCount()).isEqualTo(VsockTargets.MAX_TARGETS);
	}

	@Test
	void theRestClientsFactoryKeepsABoundedNumberOfTargets() throws Exception {
		VsockClientHttpRequestFactory factory = new VsockClientHttpRequestFactory(new SimpleClientHttpRequestFactory());
		for (int cid = 3; cid < 3003; cid++) {
			factory.createRequest(URI.create("vsock://" + cid + ":5000/status"), HttpMethod.GET);
		}
		assertThat(factory.targetCount()).isEqualTo(VsockTargets.MAX_TARGETS);
	}

	@Test
	void aTargetCalledAgainIsKeptAndTheLeastRecentlyCalledGoes() {
		VsockTargets<String> targets = new VsockTargets<>(VsockAddress::toString);
		String first = targets.get(VsockAddress.of(3, 5000));
		for (int cid = 4; cid < 4 + VsockTargets.MAX_TARGETS; cid++) {
			assertThat(targets.get(VsockAddress.of(3, 5000))).isSameAs(first);
			targets.get(VsockAddress.of(cid, 5000));
		}
		assertThat(targets.size()).isEqualTo(VsockTargets.MAX_TARGETS);
		assertThat(targets.get(VsockAddress.of(3, 5000))).isSameAs(first);
	}

}
