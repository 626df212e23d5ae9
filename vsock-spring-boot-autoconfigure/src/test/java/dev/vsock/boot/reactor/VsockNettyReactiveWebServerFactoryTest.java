package dev.vsock.boot.reactor;

import org.junit.jupiter.api.Test;
import reactor.netty.resources.LoopResources;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.http.server.reactive.HttpHandler;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.web.VsockListeners;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the factory builds, before anything binds.
 */
class VsockNettyReactiveWebServerFactoryTest {

	private final VsockAddress address = VsockAddress.parse("vsock://any:5000");

	private final HttpHandler handler = (request, response) -> response.setComplete();

	@Test
	void aCustomizerThatSetsAPortAndLoopsCannotTurnTheVsockServerIntoTcp() {
		VsockNettyReactiveWebServerFactory factory = new VsockNettyReactiveWebServerFactory(this.address,
				new VsockListeners());
		LoopResources tcpLoops = LoopResources.create("user");
		NettyServerCustomizer toTcp = (server) -> server.port(8081).runOn(tcpLoops);
		factory.addServerCustomizers(toTcp);
		try {
			VsockNettyWebServer server = (VsockNettyWebServer) factory.getWebServer(this.handler);
			assertThat(server.vsockServer().configuration().bindAddress().get()).isEqualTo(this.address);
			assertThat(server.vsockServer().configuration().loopResources()).isInstanceOf(VsockLoopResources.class);
			assertThat(factory.getServerCustomizers()).containsExactly(toTcp);
		}
		finally {
			tcpLoops.dispose();
		}
	}

	@Test
	void theUsersSettingsReachTheVsockServer() {
		VsockNettyReactiveWebServerFactory factory = new VsockNettyReactiveWebServerFactory(this.address,
				new VsockListeners());
		factory.addServerCustomizers((server) -> server.idleTimeout(java.time.Duration.ofSeconds(42)));
		VsockNettyWebServer server = (VsockNettyWebServer) factory.getWebServer(this.handler);
		assertThat(server.vsockServer().configuration().idleTimeout()).hasSeconds(42);
	}

	@Test
	void portMinusOneLeavesVsockAloneAndTheTcpServerIsKeptOtherwise() {
		VsockNettyReactiveWebServerFactory factory = new VsockNettyReactiveWebServerFactory(this.address,
				new VsockListeners());
		factory.setPort(-1);
		VsockNettyWebServer vsockOnly = (VsockNettyWebServer) factory.getWebServer(this.handler);
		assertThat(vsockOnly.tcpServer()).isNull();
		assertThat(vsockOnly.getPort()).isEqualTo(-1);
		factory.setPort(0);
		assertThat(((VsockNettyWebServer) factory.getWebServer(this.handler)).tcpServer()).isNotNull();
	}

	/**
	 * {@code context.stop()} then {@code start()}, as for Spring Boot's own servers. Binds on the
	 * build machine, connects nothing.
	 */
	@Test
	void aStoppedServerStartsAgainAndIsDestroyedOnce() throws InterruptedException {
		VsockListeners listeners = new VsockListeners();
		VsockNettyReactiveWebServerFactory factory = new VsockNettyReactiveWebServerFactory(
				VsockAddress.of(VsockAddress.CID_ANY, VsockAddress.PORT_ANY), listeners);
		factory.setPort(-1);
		VsockNettyWebServer server = (VsockNettyWebServer) factory.getWebServer(this.handler);
		try {
			server.start();
			assertThat(server.isListening()).isTrue();
			server.stop();
			assertThat(server.isListening()).isFalse();
			// What stop() lets go of is gone after Netty's quiet period of 2 s: start again after it.
			Thread.sleep(5000);
			server.start();
			assertThat(server.isListening()).isTrue();
			assertThat(listeners.all()).containsExactly(server);
		}
		finally {
			server.stop();
			server.destroy();
		}
		assertThat(listeners.all()).isEmpty();
	}

}
