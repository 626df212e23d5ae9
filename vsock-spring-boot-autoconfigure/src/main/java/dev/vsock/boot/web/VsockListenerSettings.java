package dev.vsock.boot.web;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.VsockAllowedCids;
import dev.vsock.boot.hybrid.HybridVsockListenerSocket;
import dev.vsock.boot.netty.AfVsockListenerSocket;
import dev.vsock.boot.netty.VsockListenerSocket;

/**
 * What a web server factory needs to give its servers a vsock listener, the same for Tomcat and
 * Reactor Netty: the address, who may connect, where the listener is registered, and whether it
 * is hybrid vsock's host side.
 */
public final class VsockListenerSettings {

	private @Nullable VsockAddress address;

	private VsockAllowedCids allowedCids = VsockAllowedCids.ANY;

	private int maxConnections;

	private @Nullable Long bufferSize;

	private @Nullable String inheritedName;

	private VsockListeners listeners = new VsockListeners();

	private String serverName = "server";

	private @Nullable Path hybridSocketPath;

	private Set<PosixFilePermission> hybridSocketPermissions = HybridVsockListenerSocket.OWNER_ONLY;

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
	 * Returns how many connections may be open at once.
	 * @return the limit, 0 for none
	 */
	public int maxConnections() {
		return this.maxConnections;
	}

	void maxConnections(int maxConnections) {
		this.maxConnections = maxConnections;
	}

	/**
	 * Returns the receive buffer size of the connections the listener accepts.
	 * @return the size in bytes, or {@code null} for the kernel's default
	 */
	public @Nullable Long bufferSize() {
		return this.bufferSize;
	}

	void bufferSize(@Nullable Long bufferSize) {
		if (bufferSize != null && bufferSize <= 0) {
			throw new IllegalArgumentException(
					"Invalid vsock buffer size " + bufferSize + ": give a positive number of bytes, or none");
		}
		this.bufferSize = bufferSize;
	}

	/**
	 * Returns the name of the socket the service manager passed that the listener serves on.
	 * @return the name in {@code LISTEN_FDNAMES}, or {@code null} to serve on a passed socket
	 * bound to the configured port, if there is one
	 */
	public @Nullable String inheritedName() {
		return this.inheritedName;
	}

	void inheritedName(@Nullable String inheritedName) {
		this.inheritedName = inheritedName;
	}

	/**
	 * Returns the admission rules of a new listener: the allowed CIDs and the connection limit.
	 * @return a new admission, its counts at zero
	 */
	public VsockAdmission newAdmission() {
		return new VsockAdmission(this.allowedCids, this.maxConnections);
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

	/**
	 * Returns the Unix socket of the guest's vsock device when the listener is hybrid vsock's host
	 * side.
	 * @return the VMM's {@code uds_path}, or {@code null} to listen on AF_VSOCK
	 */
	public @Nullable Path hybridSocketPath() {
		return this.hybridSocketPath;
	}

	void hybridSocketPath(@Nullable Path socketPath) {
		this.hybridSocketPath = socketPath;
	}

	/**
	 * Returns the permissions of hybrid vsock's socket file.
	 * @return the permissions, the owner's only unless set otherwise
	 */
	public Set<PosixFilePermission> hybridSocketPermissions() {
		return this.hybridSocketPermissions;
	}

	void hybridSocketPermissions(Set<PosixFilePermission> permissions) {
		this.hybridSocketPermissions = Set.copyOf(permissions);
	}

	/**
	 * Returns the socket a new listener listens on: the AF_VSOCK socket the service manager passed
	 * for it (by name, or bound to the address's port), a new AF_VSOCK socket, or hybrid vsock's
	 * Unix socket when
	 * a hybrid socket path is set (checked against the address and the allowed CIDs), where the
	 * buffer size does not apply: the VMM owns the guest's vsock buffers.
	 * @param address the configured address (for hybrid vsock, the port the guest calls)
	 * @return the listener's socket
	 * @throws IllegalStateException if the address or the allowed CIDs cannot apply to hybrid
	 * vsock, or the named inherited socket cannot be served on
	 */
	public VsockListenerSocket listenerSocket(VsockAddress address) {
		Path socketPath = this.hybridSocketPath;
		if (socketPath != null) {
			return HybridVsockListenerSocket.prepare(socketPath, address, this.allowedCids,
					this.hybridSocketPermissions);
		}
		VsockListenerSocket inherited = this.listeners.inheritedSockets()
			.take(address, this.inheritedName, this.bufferSize);
		return (inherited != null) ? inherited : new AfVsockListenerSocket(address, this.bufferSize);
	}

}
