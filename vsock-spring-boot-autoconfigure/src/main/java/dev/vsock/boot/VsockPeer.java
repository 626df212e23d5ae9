package dev.vsock.boot;

import java.util.Objects;

/**
 * The other end of an accepted vsock connection, as the kernel reports it: the peer's CID is set
 * by the hypervisor, not claimed by the peer, which makes it the connection's identity.
 *
 * <p>Available to an application as the request or exchange attribute {@link #ATTRIBUTE} and as
 * a controller method argument of this type.
 */
public final class VsockPeer {

	/** Name of the request (Servlet) or exchange (WebFlux) attribute that holds the peer. */
	public static final String ATTRIBUTE = VsockPeer.class.getName();

	private final VsockAddress remote;

	private final VsockAddress local;

	/**
	 * Creates the peer of a connection.
	 * @param remote the peer's address (its CID and port)
	 * @param local this end's address (the local CID and the listener's port)
	 */
	public VsockPeer(VsockAddress remote, VsockAddress local) {
		this.remote = Objects.requireNonNull(remote, "remote");
		this.local = Objects.requireNonNull(local, "local");
	}

	/**
	 * Returns the peer's context id.
	 * @return the peer's CID
	 */
	public long cid() {
		return this.remote.cid();
	}

	/**
	 * Returns the peer's port.
	 * @return the peer's port
	 */
	public long port() {
		return this.remote.port();
	}

	/**
	 * Returns the peer's address.
	 * @return the remote address
	 */
	public VsockAddress remoteAddress() {
		return this.remote;
	}

	/**
	 * Returns this end's address: the local CID the peer reached and the listener's port.
	 * @return the local address
	 */
	public VsockAddress localAddress() {
		return this.local;
	}

	@Override
	public boolean equals(Object obj) {
		return (obj instanceof VsockPeer other) && this.remote.equals(other.remote) && this.local.equals(other.local);
	}

	@Override
	public int hashCode() {
		return this.remote.hashCode() * 31 + this.local.hashCode();
	}

	@Override
	public String toString() {
		return "VsockPeer[" + this.remote + " -> " + this.local + "]";
	}

}
