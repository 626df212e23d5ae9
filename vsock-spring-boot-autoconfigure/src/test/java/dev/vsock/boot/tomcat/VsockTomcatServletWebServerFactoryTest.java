package dev.vsock.boot.tomcat;

import java.util.Arrays;
import java.util.List;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.Compression;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerException;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.VsockBindException;
import dev.vsock.boot.health.VsockHealthIndicator;
import dev.vsock.boot.transport.VsockTransports;
import dev.vsock.boot.web.VsockListeners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The Tomcat servers the factory builds, bound and listening on the build machine, where vsock
 * sockets may listen but never connect.
 */
class VsockTomcatServletWebServerFactoryTest {

	private final VsockListeners listeners = new VsockListeners();

	private TomcatWebServer server;

	private TomcatWebServer second;

	@AfterEach
	void stop() {
		for (TomcatWebServer webServer : new TomcatWebServer[] { this.second, this.server }) {
			if (webServer != null) {
				webServer.stop();
				webServer.destroy();
			}
		}
	}

	@Test
	void listensOnVsockBesideTcpAndReadsBackThePortTheKernelPicked() {
		this.server = start(factory(VsockAddress.PORT_ANY, 0));
		VsockTomcatWebServer vsock = (VsockTomcatWebServer) this.server;
		assertThat(vsock.isListening()).isTrue();
		assertThat(vsock.address().port()).isNotEqualTo(VsockAddress.PORT_ANY).isGreaterThan(1023);
		assertThat(this.server.getPort()).isGreaterThan(0);
		assertThat(protocols(this.server)).containsExactly("Http11NioProtocol", "Http11VsockProtocol");
		assertThat(this.listeners.all()).containsExactly(vsock);
		this.server.stop();
		assertThat(vsock.isListening()).isFalse();
	}

	@Test
	void theHealthComponentGoesDownWhenTheListenerStops() {
		VsockHealthIndicator health = new VsockHealthIndicator(VsockTransports::detect, this.listeners, true,
				List.of());
		this.server = start(factory(VsockAddress.PORT_ANY, -1));
		assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
		this.server.stop();
		assertThat(health.health(true).getStatus()).isEqualTo(Status.DOWN);
	}

	@Test
	void serverSslConfiguresTlsOnTheVsockConnector() {
		VsockTomcatServletWebServerFactory factory = factory(VsockAddress.PORT_ANY, -1);
		Ssl ssl = new Ssl();
		ssl.setCertificate("classpath:tls/server.crt");
		ssl.setCertificatePrivateKey("classpath:tls/server.key");
		factory.setSsl(ssl);
		this.server = start(factory);
		Connector vsock = this.server.getTomcat().getService().findConnectors()[0];
		assertThat(vsock.getProtocolHandler()).isInstanceOf(Http11VsockProtocol.class);
		assertThat(vsock.getScheme()).isEqualTo("https");
		assertThat(((Http11VsockProtocol) vsock.getProtocolHandler()).isSSLEnabled()).isTrue();
		assertThat(((VsockTomcatWebServer) this.server).isListening()).isTrue();
	}

	@Test
	void aNegativePortLeavesOnlyTheVsockConnector() {
		this.server = start(factory(VsockAddress.PORT_ANY, -1));
		assertThat(protocols(this.server)).containsExactly("Http11VsockProtocol");
		assertThat(this.server.getPort()).isEqualTo(-1);
		assertThat(((VsockTomcatWebServer) this.server).isListening()).isTrue();
	}

	@Test
	void aTakenPortIsReportedWithTheVsockAddress() {
		this.server = start(factory(VsockAddress.PORT_ANY, -1));
		long port = ((VsockTomcatWebServer) this.server).address().port();
		this.second = (TomcatWebServer) factory(port, -1).getWebServer();
		assertThatExceptionOfType(WebServerException.class).isThrownBy(this.second::start)
			.havingCause()
			.isInstanceOfSatisfying(VsockBindException.class, (ex) -> {
				assertThat(ex.getReason()).isEqualTo(VsockBindException.Reason.IN_USE);
				assertThat(ex.getAddress().port()).isEqualTo(port);
			});
	}

	@Test
	void springBootsConnectorSettingsAndCustomizersApplyToTheVsockConnector() {
		VsockTomcatServletWebServerFactory factory = factory(VsockAddress.PORT_ANY, -1);
		factory.addConnectorCustomizers((connector) -> connector.setProperty("maxKeepAliveRequests", "7"));
		factory.addProtocolHandlerCustomizers((handler) -> ((AbstractHttp11Protocol<?>) handler).setMaxSwallowSize(42));
		Compression compression = new Compression();
		compression.setEnabled(true);
		factory.setCompression(compression);
		this.server = start(factory);
		// Spring Boot removes the connectors from the service until the server starts.
		Connector[] connectors = this.server.getTomcat().getService().findConnectors();
		assertThat(connectors).hasSize(1);
		AbstractHttp11Protocol<?> vsock = (AbstractHttp11Protocol<?>) connectors[0].getProtocolHandler();
		assertThat(vsock).isInstanceOf(Http11VsockProtocol.class);
		assertThat(vsock.getMaxKeepAliveRequests()).isEqualTo(7);
		assertThat(vsock.getMaxSwallowSize()).isEqualTo(42);
		assertThat(vsock.getCompression()).isEqualTo("on");
	}

	private VsockTomcatServletWebServerFactory factory(long vsockPort, int tcpPort) {
		VsockTomcatServletWebServerFactory factory = new VsockTomcatServletWebServerFactory(
				VsockAddress.of(VsockAddress.CID_ANY, vsockPort), this.listeners);
		factory.setPort(tcpPort);
		return factory;
	}

	private static TomcatWebServer start(VsockTomcatServletWebServerFactory factory) {
		TomcatWebServer server = (TomcatWebServer) factory.getWebServer();
		server.start();
		return server;
	}

	private static String[] protocols(TomcatWebServer server) {
		return Arrays.stream(server.getTomcat().getService().findConnectors())
			.map(Connector::getProtocolHandler)
			.map((handler) -> handler.getClass().getSimpleName())
			.toArray(String[]::new);
	}

	/**
	 * What the vsock endpoint does not offer is refused when the server starts, naming the
	 * setting, rather than failing a request later with an {@code UnsupportedOperationException}.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "useAsyncIO", "useSendfile" })
	void refusesASettingTheVsockEndpointDoesNotOfferWhenItStarts(String setting) {
		VsockTomcatServletWebServerFactory factory = new VsockTomcatServletWebServerFactory(
				VsockAddress.of(VsockAddress.CID_ANY, VsockAddress.PORT_ANY), this.listeners);
		factory.setPort(-1);
		factory.addConnectorCustomizers((connector) -> connector.setProperty(setting, "true"));
		assertThatException().isThrownBy(() -> {
			this.server = (TomcatWebServer) factory.getWebServer();
			this.server.start();
		})
			.withStackTraceContaining("The vsock connector does not offer " + setting + "=true")
			.withStackTraceContaining("leave " + setting + " unset");
	}

}
