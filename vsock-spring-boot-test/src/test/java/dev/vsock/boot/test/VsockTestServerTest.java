package dev.vsock.boot.test;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import dev.vsock.boot.VsockAddress;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test server binds and listens on the build machine too (nothing connects here).
 */
class VsockTestServerTest {

	@Test
	void listensOnAPortTheKernelPickedUntilClosed() {
		VsockAddress address;
		try (VsockTestServer server = VsockTestServer.start((request, response) -> response.sendString(Mono.just("")))) {
			address = server.address();
			assertThat(server.port()).isNotEqualTo(VsockAddress.PORT_ANY).isPositive();
			assertThat(address.cid()).isEqualTo(VsockAddress.CID_ANY);
		}
		try (VsockTestServer again = VsockTestServer.start(address,
				(request, response) -> response.sendString(Mono.just("")))) {
			assertThat(again.port()).as("the port is free again once closed").isEqualTo(address.port());
		}
	}

}
