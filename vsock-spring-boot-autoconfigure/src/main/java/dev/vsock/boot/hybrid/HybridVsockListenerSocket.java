package dev.vsock.boot.hybrid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.DomainSocketAddress;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.VsockAllowedCids;
import dev.vsock.boot.VsockUnavailableException;
import dev.vsock.boot.netty.VsockListenerSocket;

/**
 * The Unix socket on which the host side of hybrid vsock listens: {@code <uds_path>_<port>}, where
 * Firecracker (and Cloud Hypervisor) forward the connections the guest opens to the host, CID 2,
 * on that port. Reactor Netty ({@link HybridVsockServerChannel}) and Tomcat listen on it alike,
 * through {@link #bind(LinuxSocket)} and {@link #remove()}.
 */
public final class HybridVsockListenerSocket implements VsockListenerSocket {

	private static final Log logger = LogFactory.getLog(HybridVsockListenerSocket.class);

	/** Read and write for the owner only: the VMM connects as the user that runs it. */
	public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

	private final Path path;

	private final VsockAddress vsockAddress;

	private final Set<PosixFilePermission> permissions;

	/** What identifies the socket file this process created (device and inode), once bound. */
	private volatile @Nullable Object createdFile;

	private HybridVsockListenerSocket(Path path, VsockAddress vsockAddress, Set<PosixFilePermission> permissions) {
		this.path = path;
		this.vsockAddress = vsockAddress;
		this.permissions = Set.copyOf(permissions);
	}

	/**
	 * Checks the settings and names the socket.
	 * @param udsPath the Unix socket of the guest's vsock device (the VMM's {@code uds_path})
	 * @param configured the configured vsock address; its port is the one the guest calls
	 * @param allowedCids who may connect, which hybrid vsock cannot tell
	 * @param permissions the permissions of the socket file, for example {@link #OWNER_ONLY}
	 * @return the socket to listen on
	 */
	public static HybridVsockListenerSocket prepare(Path udsPath, VsockAddress configured,
			VsockAllowedCids allowedCids, Set<PosixFilePermission> permissions) {
		if (configured.isAnyPort()) {
			throw new IllegalStateException("server.vsock.hybrid.uds-path is set (" + udsPath
					+ "), which needs the port the guest calls in server.vsock.port, not 0 (any): the VMM forwards"
					+ " the guest's connections to " + udsPath + "_<port>");
		}
		if (!allowedCids.isAny()) {
			throw new IllegalStateException("server.vsock.allowed-cids (" + allowedCids
					+ ") cannot apply with server.vsock.hybrid.uds-path: the VMM forwards its guest's connections"
					+ " over a Unix socket and does not tell the guest's CID. Remove allowed-cids and protect "
					+ udsPath.getParent() + " with file permissions instead");
		}
		Path path = HybridVsockClients.hostListenerPath(udsPath, configured.port());
		return new HybridVsockListenerSocket(path, VsockAddress.of(VsockAddress.CID_HOST, configured.port()),
				permissions);
	}

	/**
	 * Returns what the listener is to the guest: port {@code port} of the host, CID 2.
	 * @return the vsock address the guest calls
	 */
	@Override
	public VsockAddress address() {
		return this.vsockAddress;
	}

	@Override
	public ServerChannel newServerChannel() {
		return new HybridVsockServerChannel(this);
	}

	@Override
	public Class<? extends ServerChannel> serverChannelType() {
		return HybridVsockServerChannel.class;
	}

	@Override
	public SocketAddress bindAddress() {
		return new DomainSocketAddress(this.path.toString());
	}

	/**
	 * Returns {@code false}: the VMM forwards its guest's connections without their CID.
	 */
	@Override
	public boolean knowsPeers() {
		return false;
	}

	@Override
	public @Nullable VsockAddress peer(LinuxSocket accepted) {
		return null;
	}

	@Override
	public @Nullable VsockAddress local(LinuxSocket accepted) {
		return null;
	}

	@Override
	public String describe(VsockAddress bound) {
		return "hybrid vsock " + this.path + ", where the VMM forwards the guest's connections to the host (CID 2) on"
				+ " port " + bound.port();
	}

	/**
	 * Removes the socket file this listener created, as {@link #remove()} does.
	 */
	@Override
	public void closed() {
		remove();
	}

	/**
	 * Returns the Unix socket the listener binds: {@code <uds_path>_<port>}.
	 * @return the path
	 */
	public Path path() {
		return this.path;
	}

	/**
	 * Binds a Unix socket to the path: a socket file an earlier run left behind, which refuses
	 * connections, is removed first; the new file gets the configured permissions, and this
	 * listener remembers it, so that {@link #remove()} removes this file and no other.
	 * @param socket an unbound Unix socket
	 * @throws IllegalStateException if another process listens on the path, or a file that is no
	 * socket is in the way
	 * @throws IOException if the socket cannot be bound, for example because its directory is
	 * missing
	 */
	public void bind(LinuxSocket socket) throws IOException {
		removeStaleSocket();
		socket.bind(new DomainSocketAddress(this.path.toString()));
		Files.setPosixFilePermissions(this.path, this.permissions);
		this.createdFile = fileKey();
	}

	private void removeStaleSocket() {
		BasicFileAttributes attributes;
		try {
			attributes = Files.readAttributes(this.path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
		}
		catch (NoSuchFileException ex) {
			return;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to read " + this.path, ex);
		}
		// A socket is "other": neither a regular file, a directory nor a link.
		if (!attributes.isOther()) {
			throw new IllegalStateException("Cannot listen for hybrid vsock on " + this.path
					+ ": a file that is not a socket is in the way. Remove it, or choose another"
					+ " server.vsock.hybrid.uds-path");
		}
		try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(this.path))) {
			throw new IllegalStateException("Cannot listen for hybrid vsock on " + this.path
					+ ": another process listens there (a second instance of the application, or one that"
					+ " is still shutting down). Stop it first, or choose another server.vsock.hybrid.uds-path");
		}
		catch (IOException refused) {
			// Nobody listens: the file is what an earlier run left behind.
		}
		try {
			Files.deleteIfExists(this.path);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to remove the stale hybrid vsock socket " + this.path, ex);
		}
	}

	/**
	 * Opens a non-blocking Unix socket, binds it as {@link #bind(LinuxSocket)} does and listens,
	 * for a server that drives the socket itself (Tomcat's vsock endpoint).
	 * @param backlog the length of the queue of connections not accepted yet
	 * @return the listening socket
	 * @throws IOException if the socket cannot be bound, for example because its directory is
	 * missing
	 */
	@Override
	public LinuxSocket listen(int backlog) throws IOException {
		try {
			Epoll.ensureAvailability();
		}
		catch (UnsatisfiedLinkError ex) {
			throw new VsockUnavailableException(VsockUnavailableException.Reason.NATIVE_LIBRARY_MISSING, ex);
		}
		LinuxSocket socket = LinuxSocket.newSocketDomain();
		try {
			bind(socket);
			socket.listen(backlog);
			return socket;
		}
		catch (IOException | RuntimeException ex) {
			socket.close();
			throw ex;
		}
	}

	/**
	 * Removes the socket file once the listener is closed, so that a guest calling the port meets
	 * a refusal rather than a file nobody listens on; only the file this listener created: one
	 * that another process bound at the path since is left alone.
	 */
	public void remove() {
		Object created = this.createdFile;
		this.createdFile = null;
		try {
			if (created != null && created.equals(fileKey())) {
				Files.delete(this.path);
			}
		}
		catch (NoSuchFileException ex) {
			// Gone already.
		}
		catch (IOException ex) {
			logger.warn("Failed to remove the hybrid vsock socket " + this.path + ": remove it by hand", ex);
		}
	}

	private @Nullable Object fileKey() throws IOException {
		try {
			return Files.readAttributes(this.path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
		}
		catch (NoSuchFileException ex) {
			return null;
		}
	}

	@Override
	public String toString() {
		return this.path.toString();
	}

}
