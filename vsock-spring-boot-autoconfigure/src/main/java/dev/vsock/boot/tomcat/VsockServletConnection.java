package dev.vsock.boot.tomcat;

import jakarta.servlet.ServletConnection;

import dev.vsock.boot.VsockPeer;

/**
 * The servlet connection of a request that came in over vsock: Tomcat's own, with the peer's CID
 * and port as the kernel gave them, unsigned 32-bit and in full, which the servlet API's
 * {@code getRemotePort()} cannot hold.
 */
public final class VsockServletConnection implements ServletConnection {

	private final ServletConnection connection;

	private final VsockPeer peer;

	VsockServletConnection(ServletConnection connection, VsockPeer peer) {
		this.connection = connection;
		this.peer = peer;
	}

	/**
	 * Returns the peer of the connection.
	 * @return the peer
	 */
	public VsockPeer peer() {
		return this.peer;
	}

	@Override
	public String getConnectionId() {
		return this.connection.getConnectionId();
	}

	@Override
	public String getProtocol() {
		return this.connection.getProtocol();
	}

	@Override
	public String getProtocolConnectionId() {
		return this.connection.getProtocolConnectionId();
	}

	@Override
	public boolean isSecure() {
		return this.connection.isSecure();
	}

}
