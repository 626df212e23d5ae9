package dev.vsock.boot.bench;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.web.server.WebServer;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.reactor.VsockNettyReactiveWebServerFactory;
import dev.vsock.boot.tomcat.VsockTomcatServletWebServerFactory;
import dev.vsock.boot.web.VsockListener;
import dev.vsock.boot.web.VsockListeners;

/**
 * A started server of the benchmark: one Tomcat or Reactor Netty instance listening on a
 * kernel-picked vsock port and, unless vsock only, on a TCP port beside it, so that both
 * transports reach the very same server. Built without an application context, as the project's
 * own ITs do, so that the guest spends no time on one.
 * @param kind {@code tomcat} or {@code reactor-netty}
 * @param server the started server
 * @param listeners the registry its vsock listener is in (what the meters read)
 */
record BenchServer(String kind, WebServer server, VsockListeners listeners) {

	static final String TOMCAT = "tomcat";

	static final String REACTOR_NETTY = "reactor-netty";

	private static final VsockAddress ANY_PORT = VsockAddress.of(VsockAddress.CID_ANY, VsockAddress.PORT_ANY);

	static BenchServer start(String kind, boolean withTcp) {
		return start(kind, withTcp, null);
	}

	/**
	 * Starts a server.
	 * @param kind {@code tomcat} or {@code reactor-netty}
	 * @param withTcp whether it also listens on TCP
	 * @param bufferSize the vsock listener's buffer size ({@code server.vsock.buffer-size}), or
	 * {@code null} for the kernel's
	 * @return the started server
	 */
	static BenchServer start(String kind, boolean withTcp, @Nullable Long bufferSize) {
		VsockListeners listeners = new VsockListeners();
		WebServer server = switch (kind) {
			case TOMCAT -> tomcat(listeners, withTcp, bufferSize);
			case REACTOR_NETTY -> reactorNetty(listeners, withTcp, bufferSize);
			default -> throw new IllegalArgumentException("Unknown server kind '" + kind + "'; expected " + TOMCAT
					+ " or " + REACTOR_NETTY);
		};
		server.start();
		Long applied = ((VsockListener) server).bufferSize();
		if (bufferSize != null && !bufferSize.equals(applied)) {
			server.stop();
			server.destroy();
			throw new IllegalStateException("The " + kind + " vsock listener's buffer size reads back as " + applied
					+ " bytes, not the " + bufferSize + " it was given");
		}
		return new BenchServer(kind, server, listeners);
	}

	private static WebServer tomcat(VsockListeners listeners, boolean withTcp, @Nullable Long bufferSize) {
		VsockTomcatServletWebServerFactory factory = new VsockTomcatServletWebServerFactory(ANY_PORT, listeners);
		factory.setPort(withTcp ? 0 : -1);
		factory.setVsockBufferSize(bufferSize);
		// Applied to the TCP and the vsock connector alike. Keep-alive connections stay open for
		// the whole cell (Tomcat closes one after 100 requests by default, Reactor Netty never),
		// and idle ones stay open while the memory test opens the rest.
		factory.addConnectorCustomizers((connector) -> {
			connector.setProperty("maxKeepAliveRequests", "-1");
			connector.setProperty("keepAliveTimeout", Long.toString(Duration.ofMinutes(10).toMillis()));
			// The scale test holds 10,000 connections; Tomcat's default limit is 8,192.
			connector.setProperty("maxConnections", "20000");
		});
		return factory.getWebServer((context) -> context.addServlet("bench", new BenchServlet()).addMapping("/*"));
	}

	private static WebServer reactorNetty(VsockListeners listeners, boolean withTcp, @Nullable Long bufferSize) {
		VsockNettyReactiveWebServerFactory factory = new VsockNettyReactiveWebServerFactory(ANY_PORT, listeners);
		factory.setPort(withTcp ? 0 : -1);
		factory.setVsockBufferSize(bufferSize);
		return factory.getWebServer(new BenchHandler());
	}

	int tcpPort() {
		return this.server.getPort();
	}

	long vsockPort() {
		return ((VsockListener) this.server).address().port();
	}

	int openVsockConnections() {
		return ((VsockListener) this.server).openConnections();
	}

	void stop() {
		this.server.stop();
		this.server.destroy();
	}

}
