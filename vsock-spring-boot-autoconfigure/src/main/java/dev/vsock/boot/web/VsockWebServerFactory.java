package dev.vsock.boot.web;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.VsockAllowedCids;

/**
 * A web server factory whose servers can listen on vsock, configured the same way for Tomcat and
 * Reactor Netty, for the application's server and a separate management server alike. Without an
 * address it builds the plain TCP server Spring Boot builds.
 */
public interface VsockWebServerFactory {

	/**
	 * Returns the factory's vsock settings, which the methods of this interface change.
	 * @return the settings
	 */
	VsockListenerSettings getVsockSettings();

	/**
	 * Returns the vsock address the servers listen on.
	 * @return the address, or {@code null} for no vsock listener
	 */
	default @Nullable VsockAddress getVsockAddress() {
		return getVsockSettings().address();
	}

	/**
	 * Sets the vsock address the servers listen on.
	 * @param address the address, or {@code null} for no vsock listener
	 */
	default void setVsockAddress(@Nullable VsockAddress address) {
		getVsockSettings().address(address);
	}

	/**
	 * Sets where the servers register their vsock listener, and under which server name
	 * ({@code server} or {@code management}) its port is published.
	 * @param listeners the registry
	 * @param serverName the server name
	 */
	default void setVsockListeners(VsockListeners listeners, String serverName) {
		getVsockSettings().listeners(listeners, serverName);
	}

	/**
	 * Sets the peer CIDs that may connect over vsock; others are closed at once.
	 * @param allowedCids the allowed CIDs
	 */
	default void setAllowedCids(VsockAllowedCids allowedCids) {
		getVsockSettings().allowedCids(allowedCids);
	}

	/**
	 * Sets how many vsock connections may be open at once; more are closed at once and counted.
	 * @param maxConnections the limit, 0 for none
	 */
	default void setMaxConnections(int maxConnections) {
		getVsockSettings().maxConnections(maxConnections);
	}

	/**
	 * Sets the receive buffer size of the vsock connections the servers accept
	 * ({@code SO_VM_SOCKETS_BUFFER_SIZE}, and its maximum), which bounds how much a client may send
	 * before the server reads; the kernel's default is 256 KiB. It does not apply to hybrid vsock's
	 * Unix socket.
	 * @param bufferSize the size in bytes, or {@code null} for the kernel's default
	 */
	default void setVsockBufferSize(@Nullable Long bufferSize) {
		getVsockSettings().bufferSize(bufferSize);
	}

	/**
	 * Names the socket, among those the service manager passed (systemd's socket activation), that
	 * the servers serve on instead of binding their address.
	 * @param name the socket's name in {@code LISTEN_FDNAMES}, or {@code null} to serve on a passed
	 * socket bound to the configured port, if there is one
	 */
	default void setVsockInheritedName(@Nullable String name) {
		getVsockSettings().inheritedName(name);
	}

	/**
	 * Makes the vsock listener the host side of hybrid vsock (Firecracker, Cloud Hypervisor): a
	 * Unix socket at {@code <socketPath>_<port>}, where the VMM forwards the connections the guest
	 * opens to the host (CID 2) on the vsock port, instead of an AF_VSOCK socket.
	 * @param socketPath the Unix socket of the guest's vsock device (the VMM's {@code uds_path}),
	 * or {@code null} to listen on AF_VSOCK
	 */
	default void setHybridSocketPath(@Nullable Path socketPath) {
		getVsockSettings().hybridSocketPath(socketPath);
	}

	/**
	 * Sets the permissions of hybrid vsock's socket file: the VMM connects to it as the user it
	 * runs as.
	 * @param permissions the permissions; the owner's only by default
	 */
	default void setHybridSocketPermissions(Set<PosixFilePermission> permissions) {
		getVsockSettings().hybridSocketPermissions(permissions);
	}

}
