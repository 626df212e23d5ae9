package dev.vsock.boot.web;

import org.jspecify.annotations.Nullable;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.VsockAllowedCids;

/**
 * What a web server factory needs to give its servers a vsock listener, the same for Tomcat and
 * Reactor Netty: the address, who may connect, and where the listener is registered.
 */
public final class VsockListenerSettings {

	private @Nullable VsockAddress address;

	private VsockAllowedCids allowedCids = VsockAllowedCids.ANY;

	private VsockListeners listeners = new VsockListeners(null);

	private String serverName = "server";

	/**
	 * Returns the address to listen on.
	 * @return the address, or {@code null} for no vsock listener
	 */
	public @Nullable VsockAddress address() {
		return this.address;
	}

	void address(@Nullable VsockAddress address) {
		this.address = address;
	}

	/**
	 * Returns the peer CIDs that may connect.
	 * @return the allowed CIDs
	 */
	public VsockAllowedCids allowedCids() {
		return this.allowedCids;
	}

	void allowedCids(VsockAllowedCids allowedCids) {
		this.allowedCids = allowedCids;
	}

	/**
	 * Returns the registry the listener is added to.
	 * @return the registry
	 */
	public VsockListeners listeners() {
		return this.listeners;
	}

	/**
	 * Returns the name of the server the listener belongs to: {@code server} or
	 * {@code management}.
	 * @return the server name
	 */
	public String serverName() {
		return this.serverName;
	}

	void listeners(VsockListeners listeners, String serverName) {
		this.listeners = listeners;
		this.serverName = serverName;
	}

}
