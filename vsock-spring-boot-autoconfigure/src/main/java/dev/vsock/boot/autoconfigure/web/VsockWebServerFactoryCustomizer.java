package dev.vsock.boot.autoconfigure.web;

import java.net.InetAddress;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.web.server.AbstractConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.VsockAllowedCids;
import dev.vsock.boot.VsockServerNotSupportedException;
import dev.vsock.boot.web.VsockListeners;
import dev.vsock.boot.web.VsockWebServerFactory;

/**
 * Gives a web server factory its vsock listener: the address, who may connect, the connection
 * limit, the buffer size, hybrid vsock's socket and the registry, the same way for the application's server (in
 * the application context) and a separate management server (in its child context), as Spring
 * Boot's own customizers apply {@code server.*}. Fails when the factory cannot serve vsock, and
 * warns when an allow-list stands beside a TCP listener it cannot protect.
 */
public final class VsockWebServerFactoryCustomizer implements WebServerFactoryCustomizer<WebServerFactory> {

	private static final Log logger = LogFactory.getLog(VsockWebServerFactoryCustomizer.class);

	private final String portProperty;

	private final String serverName;

	private final VsockAddress address;

	private final VsockAllowedCids allowedCids;

	private final int maxConnections;

	private final @Nullable Long bufferSize;

	private final @Nullable String inheritedName;

	private final @Nullable Path hybridSocketPath;

	private final Set<PosixFilePermission> hybridSocketPermissions;

	private final VsockListeners listeners;

	private VsockWebServerFactoryCustomizer(String portProperty, String serverName, VsockListenerProperties own,
			VsockAllowedCids allowedCids, int maxConnections, @Nullable Long bufferSize,
			VsockServerProperties.Hybrid hybrid, VsockListeners listeners) {
		this.portProperty = portProperty;
		this.serverName = serverName;
		this.address = address(own);
		this.inheritedName = own.getFdName();
		this.allowedCids = allowedCids;
		this.maxConnections = maxConnections;
		this.bufferSize = bufferSize;
		this.hybridSocketPath = hybrid.getUdsPath();
		this.hybridSocketPermissions = hybrid.toSocketPermissions();
		this.listeners = listeners;
	}

	/**
	 * Returns the customizer of the application's server: {@code server.vsock.*}.
	 * @param server the properties, with a port
	 * @param listeners the registry
	 * @return the customizer
	 */
	static VsockWebServerFactoryCustomizer forServer(VsockServerProperties server, VsockListeners listeners) {
		return new VsockWebServerFactoryCustomizer("server.vsock.port", "server", server,
				server.toAllowedCids(), server.getMaxConnections(), server.toBufferSize(), server.getHybrid(),
				listeners);
	}

	/**
	 * Returns the customizer of a separate management server: {@code management.server.vsock.*},
	 * admitting peers by {@code server.vsock.*}'s rules where it has none of its own, on hybrid
	 * vsock's socket when the application's server is.
	 * @param management the management listener's properties, with a port
	 * @param server the application server's properties
	 * @param listeners the registry
	 * @return the customizer
	 */
	static VsockWebServerFactoryCustomizer forManagement(VsockManagementServerProperties management,
			VsockServerProperties server, VsockListeners listeners) {
		return new VsockWebServerFactoryCustomizer("management.server.vsock.port", "management", management,
				management.toAllowedCids(server), management.toMaxConnections(server), management.toBufferSize(server),
				server.getHybrid(), listeners);
	}

	/**
	 * Returns the customizer of the gRPC server's vsock listener: {@code spring.grpc.server.vsock.*},
	 * admitting peers by {@code server.vsock.*}'s rules where it has none of its own, on hybrid
	 * vsock's socket when the application's server is.
	 * @param grpc the gRPC listener's properties, with a port
	 * @param server the application server's properties
	 * @param listeners the registry
	 * @return the customizer
	 */
	public static VsockWebServerFactoryCustomizer forGrpc(VsockInheritingListenerProperties grpc,
			VsockServerProperties server, VsockListeners listeners) {
		return new VsockWebServerFactoryCustomizer("spring.grpc.server.vsock.port", "grpc", grpc,
				grpc.toAllowedCids(server), grpc.toMaxConnections(server), grpc.toBufferSize(server), server.getHybrid(),
				listeners);
	}

	private static VsockAddress address(VsockListenerProperties properties) {
		VsockAddress address = properties.toAddress();
		if (address == null) {
			throw new IllegalStateException("No vsock port is set for this listener");
		}
		return address;
	}

	@Override
	public void customize(WebServerFactory factory) {
		if (!(factory instanceof VsockWebServerFactory vsock)) {
			throw new VsockServerNotSupportedException(this.portProperty, factory.getClass().getName());
		}
		apply(vsock);
		// Unordered, this customizer runs after Spring Boot's, which set the TCP port.
		if (factory instanceof AbstractConfigurableWebServerFactory configurable && configurable.getPort() >= 0) {
			warnOfTcp(configurable.getPort(), configurable.getAddress());
		}
	}

	/**
	 * Applies the listener's settings to a factory of vsock servers, a web server's or another
	 * kind's (gRPC's).
	 * @param vsock the factory
	 */
	public void apply(VsockWebServerFactory vsock) {
		vsock.setVsockAddress(this.address);
		vsock.setVsockListeners(this.listeners, this.serverName);
		vsock.setAllowedCids(this.allowedCids);
		vsock.setMaxConnections(this.maxConnections);
		vsock.setVsockBufferSize(this.bufferSize);
		vsock.setVsockInheritedName(this.inheritedName);
		vsock.setHybridSocketPath(this.hybridSocketPath);
		vsock.setHybridSocketPermissions(this.hybridSocketPermissions);
	}

	/**
	 * Warns, when the listener has an allow-list, that the server's TCP port is not protected by it,
	 * unless the port is on a loopback address and the list admits this machine (CID 1): then the
	 * same processes reach both.
	 * @param tcpPort the TCP port the server also listens on
	 * @param tcpAddress the address it listens on, {@code null} for every address
	 */
	public void warnOfTcp(int tcpPort, @Nullable InetAddress tcpAddress) {
		boolean onlyThisMachineReaches = tcpAddress != null && tcpAddress.isLoopbackAddress()
				&& this.allowedCids.allows(VsockAddress.CID_LOCAL);
		if (!this.allowedCids.isAny() && !onlyThisMachineReaches) {
			logger.warn("The " + this.serverName + " vsock listener admits only " + this.allowedCids
					+ " on vsock, but the server also listens on TCP port " + tcpPort
					+ ", which the allow-list cannot protect: serve on vsock only (port -1) or keep the TCP port"
					+ " where only trusted peers reach it");
		}
	}

}
