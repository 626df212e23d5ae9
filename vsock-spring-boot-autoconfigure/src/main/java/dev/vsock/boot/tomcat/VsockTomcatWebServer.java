package dev.vsock.boot.tomcat;

import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.Shutdown;
import org.springframework.boot.web.server.WebServerException;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.VsockBindException;
import dev.vsock.boot.web.VsockAdmission;
import dev.vsock.boot.web.VsockListener;
import dev.vsock.boot.web.VsockListeners;

/**
 * Spring Boot's Tomcat web server with a vsock connector: it starts even when the TCP connector
 * is off ({@code server.port=-1}), reports a vsock bind failure with its vsock address, logs and
 * publishes where it listens ({@code local.vsock.port}).
 */
public class VsockTomcatWebServer extends TomcatWebServer implements VsockListener {

	private static final Log logger = LogFactory.getLog(VsockTomcatWebServer.class);

	private final Http11VsockProtocol protocol;

	private final VsockListeners listeners;

	private final String serverName;

	/**
	 * Creates the server and initializes Tomcat.
	 * @param tomcat the Tomcat, with the vsock connector among its connectors
	 * @param shutdown the shutdown mode
	 * @param vsockConnector the vsock connector
	 * @param listeners the registry to add the vsock listener to
	 * @param serverName {@code server}, or {@code management} for a separate management server
	 */
	public VsockTomcatWebServer(Tomcat tomcat, Shutdown shutdown, Connector vsockConnector,
			VsockListeners listeners, String serverName) {
		super(tomcat, true, shutdown);
		this.protocol = (Http11VsockProtocol) vsockConnector.getProtocolHandler();
		this.listeners = listeners;
		this.serverName = serverName;
		listeners.add(this);
	}

	@Override
	public void start() throws WebServerException {
		try {
			super.start();
		}
		catch (RuntimeException ex) {
			VsockEndpoint endpoint = this.protocol.getVsockEndpoint();
			VsockBindException failure = endpoint.getBindFailure();
			if (failure != null) {
				throw new WebServerException("Unable to start Tomcat on " + failure.getAddress(), failure);
			}
			throw new WebServerException(
					"Unable to start Tomcat on " + endpoint.getListenerSocket().describe(address()), ex);
		}
		VsockEndpoint endpoint = this.protocol.getVsockEndpoint();
		if (endpoint.isListening()) {
			logger.info("Tomcat started on " + endpoint.getListenerSocket().describe(address())
					+ (endpoint.isSSLEnabled() ? " (https)" : " (http)"));
		}
	}

	@Override
	public void destroy() throws WebServerException {
		try {
			super.destroy();
		}
		finally {
			this.listeners.remove(this);
		}
	}

	@Override
	public String serverKind() {
		return "tomcat";
	}

	@Override
	public String serverName() {
		return this.serverName;
	}

	@Override
	public VsockAddress address() {
		return this.protocol.getVsockAddress();
	}

	@Override
	public @Nullable Long bufferSize() {
		return this.protocol.getVsockEndpoint().getListenerSocket().bufferSize();
	}

	@Override
	public @Nullable String inheritedFrom() {
		return this.protocol.getVsockEndpoint().getListenerSocket().inheritedFrom();
	}

	@Override
	public boolean isListening() {
		return this.protocol.getVsockEndpoint().isListening();
	}

	@Override
	public VsockAdmission admission() {
		return this.protocol.getVsockEndpoint().getAdmission();
	}

}
