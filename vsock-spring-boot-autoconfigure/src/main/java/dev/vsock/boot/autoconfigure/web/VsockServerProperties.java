package dev.vsock.boot.autoconfigure.web;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import dev.vsock.boot.VsockAllowedCids;
import dev.vsock.boot.hybrid.HybridVsockListenerSocket;
import dev.vsock.boot.transport.VsockTransport;

/**
 * Configuration of the embedded web server's AF_VSOCK listener.
 */
@ConfigurationProperties("server.vsock")
public class VsockServerProperties extends VsockListenerProperties {

	/**
	 * Whether the web server listens on vsock. Defaults to true when a port is set.
	 */
	private @Nullable Boolean enabled;

	/**
	 * Transports the application cannot do without (g2h, h2g, loopback): the vsock health
	 * component is DOWN while one of them is missing.
	 */
	private List<VsockTransport> requiredTransports = new ArrayList<>();

	/**
	 * Peer CIDs that may connect to the vsock listener ('local', 'host' or numbers); a connection
	 * from any other CID is closed before a byte is read. Empty (the default) admits every peer.
	 */
	private List<String> allowedCids = new ArrayList<>();

	/** {@link #allowedCids}, parsed once, when they are bound. */
	private VsockAllowedCids parsedAllowedCids = VsockAllowedCids.ANY;

	/**
	 * Whether peers on this machine (CID 1, over vsock_loopback) may connect. Switch it off in
	 * production to make sure only other machines reach the listener.
	 */
	private boolean allowLocal = true;

	/**
	 * Maximum number of vsock connections open at once; more are closed at once, before a byte is
	 * read, and counted. 0 means no limit. On Tomcat, server.tomcat.max-connections applies too,
	 * and makes a connection over its limit wait in the listen backlog instead.
	 */
	private int maxConnections;

	/**
	 * Receive buffer of each vsock connection the server accepts (SO_VM_SOCKETS_BUFFER_SIZE, and
	 * its maximum), which bounds how much a client may send before the server reads: larger
	 * buffers speed up large uploads. Unset, the kernel default applies (256KB). Does not apply to
	 * hybrid vsock, whose buffers the VMM owns.
	 */
	private @Nullable DataSize bufferSize;

	/**
	 * Whether to start without the vsock listeners (of the application server, the management server
	 * and the gRPC server), with a warning, where this machine cannot open an AF_VSOCK socket (a
	 * laptop, a CI runner), instead of failing; a server falls back only when it has a TCP port.
	 * For development: a production service should fail, as it does by default.
	 */
	private boolean fallbackToTcp;

	/**
	 * Whether the vsock listeners serve on the listening vsock sockets the service manager passed
	 * (systemd socket activation: LISTEN_FDS), by their fd-name or their port, instead of binding.
	 */
	private boolean socketActivation = true;

	private final Hybrid hybrid = new Hybrid();

	public @Nullable Boolean getEnabled() {
		return this.enabled;
	}

	public void setEnabled(@Nullable Boolean enabled) {
		this.enabled = enabled;
	}

	public List<VsockTransport> getRequiredTransports() {
		return this.requiredTransports;
	}

	public void setRequiredTransports(List<VsockTransport> requiredTransports) {
		this.requiredTransports = requiredTransports;
	}

	public List<String> getAllowedCids() {
		return this.allowedCids;
	}

	public void setAllowedCids(List<String> allowedCids) {
		this.parsedAllowedCids = VsockAllowedCids.parse(allowedCids);
		this.allowedCids = allowedCids;
	}

	public boolean isAllowLocal() {
		return this.allowLocal;
	}

	public void setAllowLocal(boolean allowLocal) {
		this.allowLocal = allowLocal;
	}

	public int getMaxConnections() {
		return this.maxConnections;
	}

	public void setMaxConnections(int maxConnections) {
		if (maxConnections < 0) {
			throw new IllegalArgumentException("Invalid server.vsock.max-connections " + maxConnections
					+ ": expected 0 (no limit) or more");
		}
		this.maxConnections = maxConnections;
	}

	public @Nullable DataSize getBufferSize() {
		return this.bufferSize;
	}

	public void setBufferSize(@Nullable DataSize bufferSize) {
		this.bufferSize = checkBufferSize("server.vsock.buffer-size", bufferSize);
	}

	/**
	 * Returns the receive buffer size of accepted connections.
	 * @return the size in bytes, or {@code null} for the kernel's default
	 */
	public @Nullable Long toBufferSize() {
		return (this.bufferSize != null) ? this.bufferSize.toBytes() : null;
	}

	static @Nullable DataSize checkBufferSize(String property, @Nullable DataSize bufferSize) {
		if (bufferSize != null && bufferSize.toBytes() <= 0) {
			throw new IllegalArgumentException("Invalid " + property + " " + bufferSize
					+ ": give a positive size, for example 1MB, or leave it unset for the kernel default (256KB)");
		}
		return bufferSize;
	}

	/**
	 * Returns the peer CIDs that may connect.
	 * @return the allow-list, open when none are set and loopback peers are allowed
	 */
	public VsockAllowedCids toAllowedCids() {
		return this.parsedAllowedCids.withLocal(this.allowLocal);
	}

	/**
	 * Returns whether a vsock listener is wanted: a port is set and it is not switched off.
	 * @return whether vsock is switched on
	 */
	public boolean isListening() {
		return getPort() != null && !Boolean.FALSE.equals(this.enabled);
	}

	public boolean isFallbackToTcp() {
		return this.fallbackToTcp;
	}

	public void setFallbackToTcp(boolean fallbackToTcp) {
		this.fallbackToTcp = fallbackToTcp;
	}

	public boolean isSocketActivation() {
		return this.socketActivation;
	}

	public void setSocketActivation(boolean socketActivation) {
		this.socketActivation = socketActivation;
	}

	public Hybrid getHybrid() {
		return this.hybrid;
	}

	/**
	 * The host side of Firecracker's and Cloud Hypervisor's hybrid vsock.
	 */
	public static class Hybrid {

		/**
		 * The Unix socket of the vsock device of the guest (uds_path of the VMM). When set, the listener
		 * is the Unix socket '<uds-path>_<port>', where the VMM forwards the connections the guest
		 * opens to the host (CID 2) on server.vsock.port, instead of an AF_VSOCK socket.
		 */
		private @Nullable Path udsPath;

		/**
		 * Permissions of the Unix socket file the listener creates, as 'ls -l' writes them. The
		 * VMM connects to it as the user it runs as: widen them (for example rw-rw----) only
		 * when that is not the user of the application.
		 */
		private String socketPermissions = "rw-------";

		/** {@link #socketPermissions}, parsed once, when they are bound. */
		private Set<PosixFilePermission> parsedSocketPermissions = HybridVsockListenerSocket.OWNER_ONLY;

		public @Nullable Path getUdsPath() {
			return this.udsPath;
		}

		public void setUdsPath(@Nullable Path udsPath) {
			this.udsPath = udsPath;
		}

		public String getSocketPermissions() {
			return this.socketPermissions;
		}

		public void setSocketPermissions(String socketPermissions) {
			this.parsedSocketPermissions = toPermissions(socketPermissions);
			this.socketPermissions = socketPermissions;
		}

		/**
		 * Returns the permissions of the socket file.
		 * @return the permissions
		 */
		public Set<PosixFilePermission> toSocketPermissions() {
			return this.parsedSocketPermissions;
		}

		private static Set<PosixFilePermission> toPermissions(String text) {
			try {
				return PosixFilePermissions.fromString(text);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("Invalid server.vsock.hybrid.socket-permissions '" + text
						+ "': expected nine characters as 'ls -l' writes them, for example rw-------", ex);
			}
		}

	}

}
