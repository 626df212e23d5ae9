package dev.vsock.boot.client;

import org.junit.jupiter.api.Test;
import reactor.netty.http.HttpResources;
import reactor.netty.resources.ConnectionProvider;

import dev.vsock.boot.VsockAddress;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which pool a Reactor Netty client from {@link VsockClients} draws its connections from. Nothing
 * connects here: a client is configured, not used.
 */
class VsockClientsTest {

	private static final VsockAddress TARGET = VsockAddress.of(3, 5000);

	@Test
	void clientsShareOnePoolOfTheirOwnByDefault() {
		ConnectionProvider pool = VsockClients.httpClient(TARGET).configuration().connectionProvider();
		assertThat(VsockClients.httpClient(VsockAddress.of(4, 6000)).configuration().connectionProvider())
			.isSameAs(pool);
		assertThat(pool).isNotSameAs(HttpResources.get());
	}

	@Test
	void aClientGivenAPoolDrawsFromIt() {
		ConnectionProvider pool = ConnectionProvider.create("own", 4);
		try {
			assertThat(VsockClients.httpClient(TARGET, pool).configuration().connectionProvider()).isSameAs(pool);
		}
		finally {
			pool.dispose();
		}
	}

}
