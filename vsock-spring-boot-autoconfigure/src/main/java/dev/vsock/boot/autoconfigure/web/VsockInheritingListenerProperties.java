package dev.vsock.boot.autoconfigure.web;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

import dev.vsock.boot.VsockAllowedCids;

/**
 * The properties of a vsock listener beside the application's web server (the management server's,
 * the gRPC server's): it admits peers by {@code server.vsock}'s rules wherever it has none of its
 * own.
 */
public abstract class VsockInheritingListenerProperties extends VsockListenerProperties {

	/**
	 * Peer CIDs that may connect to this vsock listener ('local', 'host' or numbers). Unset, the
	 * listener admits the peers server.vsock.allowed-cids admits.
	 */
	private @Nullable List<String> allowedCids;

	/** {@link #allowedCids}, parsed once, when they are bound. */
	private @Nullable VsockAllowedCids parsedAllowedCids;

	/**
	 * Whether peers on this machine (CID 1) may connect to this vsock listener. Unset,
	 * server.vsock.allow-local applies.
	 */
	private @Nullable Boolean allowLocal;

	/**
	 * Maximum number of connections open at once on this vsock listener; 0 means no limit. Unset,
	 * server.vsock.max-connections applies.
	 */
	private @Nullable Integer maxConnections;

	/**
	 * Receive buffer of each connection this vsock listener accepts (SO_VM_SOCKETS_BUFFER_SIZE).
	 * Unset, server.vsock.buffer-size applies.
	 */
	private @Nullable DataSize bufferSize;

	public @Nullable List<String> getAllowedCids() {
		return this.allowedCids;
	}

	public void setAllowedCids(@Nullable List<String> allowedCids) {
		this.parsedAllowedCids = (allowedCids != null) ? VsockAllowedCids.parse(allowedCids) : null;
		this.allowedCids = allowedCids;
	}

	public @Nullable Boolean getAllowLocal() {
		return this.allowLocal;
	}

	public void setAllowLocal(@Nullable Boolean allowLocal) {
		this.allowLocal = allowLocal;
	}

	public @Nullable Integer getMaxConnections() {
		return this.maxConnections;
	}

	public void setMaxConnections(@Nullable Integer maxConnections) {
		this.maxConnections = maxConnections;
	}

	public @Nullable DataSize getBufferSize() {
		return this.bufferSize;
	}

	public void setBufferSize(@Nullable DataSize bufferSize) {
		this.bufferSize = VsockServerProperties.checkBufferSize("buffer-size", bufferSize);
	}

	/**
	 * Returns the receive buffer size of accepted connections: this listener's own where it has
	 * one, the application server's otherwise.
	 * @param server the application server's vsock properties
	 * @return the size in bytes, or {@code null} for the kernel's default
	 */
	public @Nullable Long toBufferSize(VsockServerProperties server) {
		DataSize own = this.bufferSize;
		return (own != null) ? Long.valueOf(own.toBytes()) : server.toBufferSize();
	}

	/**
	 * Returns the peer CIDs that may connect: this listener's own where it says so, the
	 * application server's otherwise.
	 * @param server the application server's vsock properties
	 * @return the allow-list
	 */
	public VsockAllowedCids toAllowedCids(VsockServerProperties server) {
		VsockAllowedCids own = this.parsedAllowedCids;
		boolean local = (this.allowLocal != null) ? this.allowLocal : server.isAllowLocal();
		return (own != null) ? own.withLocal(local) : server.toAllowedCids().withLocal(local);
	}

	/**
	 * Returns how many connections may be open at once: this listener's own limit where it has
	 * one, the application server's otherwise.
	 * @param server the application server's vsock properties
	 * @return the limit, 0 for none
	 */
	public int toMaxConnections(VsockServerProperties server) {
		return (this.maxConnections != null) ? this.maxConnections : server.getMaxConnections();
	}

}
