package dev.vsock.boot.web;

import org.jspecify.annotations.Nullable;

import dev.vsock.boot.VsockAddress;

/**
 * A server socket listening on AF_VSOCK on behalf of an embedded web server.
 *
 * <p>Implemented by the Tomcat and the Reactor Netty integrations alike, so that the health
 * indicator, the metrics and the {@code local.vsock.port} property see every listener the same
 * way.
 */
public interface VsockListener {

	/**
	 * Returns the kind of server that owns the listener, for example {@code tomcat} or
	 * {@code reactor-netty}. A short, bounded value that may be used as a meter tag.
	 * @return the server kind
	 */
	String serverKind();

	/**
	 * Returns the name of the server this listener belongs to: {@code server} for the
	 * application's web server, {@code management} for a separate management server.
	 * @return the server name
	 */
	String serverName();

	/**
	 * Returns the address the listener is bound to: the port the kernel assigned once it listens
	 * (never {@link VsockAddress#PORT_ANY} then), the configured address before.
	 * @return the address
	 */
	VsockAddress address();

	/**
	 * Returns the receive buffer size of the connections the listener accepts, as the kernel
	 * reports it for the listening socket.
	 * @return the size in bytes, or {@code null} when it is not known (the listener is not open,
	 * or it is hybrid vsock's Unix socket)
	 */
	default @Nullable Long bufferSize() {
		return null;
	}

	/**
	 * Returns where the listener's socket came from when the process inherited it from its
	 * service manager (socket activation) instead of binding it.
	 * @return for example {@code fd 3 'http'}, or {@code null} for a socket the server bound
	 */
	default @Nullable String inheritedFrom() {
		return null;
	}

	/**
	 * Returns whether the listener accepts connections right now.
	 * @return whether it is listening
	 */
	boolean isListening();

	/**
	 * Returns who may connect to this listener, and how many are connected.
	 * @return the admission rules
	 */
	VsockAdmission admission();

	/**
	 * Returns how many connections accepted by this listener are open right now.
	 * @return the number of open connections
	 */
	default int openConnections() {
		return admission().openConnections();
	}

	/**
	 * Returns the counts of this listener's connections and bytes, for the metrics.
	 * @return the counters
	 */
	default VsockConnectionCounters counters() {
		return admission().counters();
	}

}
