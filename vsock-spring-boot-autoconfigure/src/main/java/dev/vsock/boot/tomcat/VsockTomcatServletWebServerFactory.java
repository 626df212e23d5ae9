package dev.vsock.boot.tomcat;

import org.apache.catalina.Executor;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.web.VsockListenerSettings;
import dev.vsock.boot.web.VsockListeners;
import dev.vsock.boot.web.VsockWebServerFactory;

/**
 * Spring Boot's Tomcat servlet web server factory with a vsock connector beside the TCP one, or
 * in its place when the port is negative ({@code server.port=-1}); with a hybrid socket path the
 * vsock connector listens on hybrid vsock's Unix socket instead.
 *
 * <p>The vsock connector is configured as Spring Boot configures its main connector:
 * {@code server.tomcat.*}, compression, HTTP/2 (h2c), every {@code TomcatConnectorCustomizer} and
 * {@code TomcatProtocolHandlerCustomizer} (virtual threads among them) apply to it too.
 */
public class VsockTomcatServletWebServerFactory extends TomcatServletWebServerFactory implements VsockWebServerFactory {

	private final VsockListenerSettings settings = new VsockListenerSettings();

	/**
	 * Creates a factory that builds Spring Boot's TCP-only server until it is given a vsock
	 * address (Spring Boot creates a separate management server's factory this way).
	 */
	public VsockTomcatServletWebServerFactory() {
		addEngineValves(new VsockPeerValve());
	}

	/**
	 * Creates a factory whose servers listen on vsock too.
	 * @param address the vsock address to listen on
	 * @param listeners the registry the vsock listener is added to
	 */
	public VsockTomcatServletWebServerFactory(VsockAddress address, VsockListeners listeners) {
		this();
		setVsockAddress(address);
		setVsockListeners(listeners, "server");
	}

	@Override
	public VsockListenerSettings getVsockSettings() {
		return this.settings;
	}

	@Override
	protected Tomcat createTomcat(TempDirs tempDirs) {
		Tomcat tomcat = super.createTomcat(tempDirs);
		VsockAddress address = this.settings.address();
		if (address == null) {
			return tomcat;
		}
		Http11VsockProtocol protocol = new Http11VsockProtocol(this.settings.listenerSocket(address));
		protocol.getVsockEndpoint().setAdmission(this.settings.newAdmission());
		Connector vsock = new Connector(protocol);
		vsock.setThrowOnFailure(true);
		customizeConnector(vsock);
		// The port Spring Boot gave it means nothing on vsock: -1 keeps it out of the TCP ports.
		vsock.setPort(-1);
		if (getPort() < 0) {
			tomcat.getService().removeConnector(tomcat.getConnector());
			tomcat.setConnector(vsock);
		}
		else {
			tomcat.getService().addConnector(vsock);
		}
		if (vsock.getProtocolHandler().getExecutor() instanceof Executor executor) {
			tomcat.getService().addExecutor(executor);
		}
		return tomcat;
	}

	/**
	 * Returns a server that starts even when the TCP connector is off: Spring Boot's own would
	 * stop every connector, vsock included, for a negative port.
	 */
	@Override
	protected TomcatWebServer getTomcatWebServer(Tomcat tomcat) {
		if (this.settings.address() == null) {
			return super.getTomcatWebServer(tomcat);
		}
		Connector vsock = null;
		for (Connector connector : tomcat.getService().findConnectors()) {
			if (connector.getProtocolHandler() instanceof Http11VsockProtocol) {
				vsock = connector;
			}
		}
		if (vsock == null) {
			throw new IllegalStateException("The vsock connector was removed from Tomcat's service");
		}
		return new VsockTomcatWebServer(tomcat, getShutdown(), vsock, this.settings.listeners(),
				this.settings.serverName());
	}

}
