package dev.vsock.boot.autoconfigure.web;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;

import dev.vsock.boot.VsockServerNotSupportedException;
import dev.vsock.boot.reactor.VsockNettyReactiveWebServerFactory;
import dev.vsock.boot.tomcat.VsockTomcatServletWebServerFactory;
import dev.vsock.boot.web.VsockListeners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The one path by which {@code server.vsock.*} and {@code management.server.vsock.*} reach a web
 * server factory, whichever server and context it is.
 */
@ExtendWith(OutputCaptureExtension.class)
class VsockWebServerFactoryCustomizerTest {

	private final VsockServerProperties server = new VsockServerProperties();

	private final VsockListeners listeners = new VsockListeners();

	VsockWebServerFactoryCustomizerTest() {
		this.server.setPort(5000L);
		this.server.setAllowedCids(List.of("host"));
		this.server.setAllowLocal(false);
		this.server.setMaxConnections(9);
	}

	@Test
	void givesBothServersTheSameSettings() {
		VsockTomcatServletWebServerFactory tomcat = new VsockTomcatServletWebServerFactory();
		VsockNettyReactiveWebServerFactory netty = new VsockNettyReactiveWebServerFactory();
		VsockWebServerFactoryCustomizer customizer = VsockWebServerFactoryCustomizer.forServer(this.server,
				this.listeners);
		customizer.customize(tomcat);
		customizer.customize(netty);
		for (var settings : List.of(tomcat.getVsockSettings(), netty.getVsockSettings())) {
			assertThat(settings.address()).hasToString("vsock://any:5000");
			assertThat(settings.allowedCids()).hasToString("2 but not local (1)");
			assertThat(settings.maxConnections()).isEqualTo(9);
			assertThat(settings.serverName()).isEqualTo("server");
			assertThat(settings.listeners()).isSameAs(this.listeners);
		}
	}

	@Test
	void refusesAFactoryThatCannotServeVsockNamingTheProperty() {
		assertThatExceptionOfType(VsockServerNotSupportedException.class)
			.isThrownBy(() -> VsockWebServerFactoryCustomizer.forServer(this.server, this.listeners)
				.customize(new TomcatServletWebServerFactory()))
			.withMessageContaining("server.vsock.port");
	}

	@Test
	void warnsThatAnAllowListCannotProtectATcpListenerBesideIt(CapturedOutput output) {
		VsockTomcatServletWebServerFactory tcpToo = new VsockTomcatServletWebServerFactory();
		tcpToo.setPort(8080);
		VsockWebServerFactoryCustomizer.forServer(this.server, this.listeners).customize(tcpToo);
		assertThat(output).contains("WARN")
			.contains("admits only 2 but not local (1) on vsock, but the server also listens on TCP port 8080,"
					+ " which the allow-list cannot protect");
	}

	@Test
	void saysNothingOfATcpPortOnLoopbackWhenTheAllowListAdmitsThisMachine(CapturedOutput output) throws Exception {
		// The samples' management server: TCP on 127.0.0.1, vsock for the host and this machine.
		VsockServerProperties hostAndLocal = new VsockServerProperties();
		hostAndLocal.setPort(5100L);
		hostAndLocal.setAllowedCids(List.of("host", "local"));
		VsockTomcatServletWebServerFactory loopback = new VsockTomcatServletWebServerFactory();
		loopback.setPort(8081);
		loopback.setAddress(InetAddress.getByName("127.0.0.1"));
		VsockWebServerFactoryCustomizer.forServer(hostAndLocal, this.listeners).customize(loopback);
		assertThat(output).doesNotContain("allow-list cannot protect");
	}

	@Test
	void warnsOfATcpPortOnLoopbackWhenTheAllowListRefusesThisMachine(CapturedOutput output) throws Exception {
		VsockTomcatServletWebServerFactory loopback = new VsockTomcatServletWebServerFactory();
		loopback.setPort(8081);
		loopback.setAddress(InetAddress.getByName("127.0.0.1"));
		VsockWebServerFactoryCustomizer.forServer(this.server, this.listeners).customize(loopback);
		assertThat(output).contains("admits only 2 but not local (1) on vsock, but the server also listens on TCP port 8081,"
				+ " which the allow-list cannot protect");
	}

	@Test
	void saysNothingWhenTheServerListensOnVsockOnlyOrAdmitsEveryPeer(CapturedOutput output) {
		VsockTomcatServletWebServerFactory vsockOnly = new VsockTomcatServletWebServerFactory();
		vsockOnly.setPort(-1);
		VsockWebServerFactoryCustomizer.forServer(this.server, this.listeners).customize(vsockOnly);
		VsockServerProperties open = new VsockServerProperties();
		open.setPort(5000L);
		VsockTomcatServletWebServerFactory tcpToo = new VsockTomcatServletWebServerFactory();
		tcpToo.setPort(8080);
		VsockWebServerFactoryCustomizer.forServer(open, this.listeners).customize(tcpToo);
		assertThat(output).doesNotContain("allow-list cannot protect");
	}

}
