package dev.vsock.boot.tomcat;

import io.netty.channel.epoll.LinuxSocket;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.netty.AfVsockListenerSocket;
import dev.vsock.boot.netty.VsockListenerSocket;

/**
 * Tomcat's HTTP/1.1 protocol (with its upgrades: WebSocket, h2c) on a {@link VsockEndpoint}: use it
 * as {@code new Connector(new Http11VsockProtocol(VsockAddress.of(cid, port)))}.
 */
public class Http11VsockProtocol extends AbstractHttp11Protocol<LinuxSocket> {

	private static final Log log = LogFactory.getLog(Http11VsockProtocol.class);

	/**
	 * Creates a protocol listening on any local CID and a port the kernel picks.
	 */
	public Http11VsockProtocol() {
		super(new VsockEndpoint());
	}

	/**
	 * Creates a protocol listening on the given address.
	 * @param address the vsock address, port {@link VsockAddress#PORT_ANY} for a port the kernel
	 * picks
	 */
	public Http11VsockProtocol(VsockAddress address) {
		this(new AfVsockListenerSocket(address));
	}

	/**
	 * Creates a protocol listening on the given socket: AF_VSOCK, or hybrid vsock's Unix socket.
	 * @param listenerSocket the listener's socket
	 */
	public Http11VsockProtocol(VsockListenerSocket listenerSocket) {
		this();
		getVsockEndpoint().setListenerSocket(listenerSocket);
	}

	/**
	 * Returns the address the protocol listens on, the port read back from the kernel once bound.
	 * @return the address
	 */
	public VsockAddress getVsockAddress() {
		return getVsockEndpoint().getVsockAddress();
	}

	/**
	 * Returns the endpoint, for the listener state and the bind failure.
	 * @return the endpoint
	 */
	public VsockEndpoint getVsockEndpoint() {
		return (VsockEndpoint) getEndpoint();
	}

	@Override
	protected Log getLog() {
		return log;
	}

	/**
	 * Returns {@code http}: with the endpoint's id the name reads {@code http-vsock-any-1234}.
	 */
	@Override
	protected String getNamePrefix() {
		return "http";
	}

}
