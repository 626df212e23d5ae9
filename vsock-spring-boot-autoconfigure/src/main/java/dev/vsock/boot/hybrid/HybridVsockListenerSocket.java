package dev.vsock.boot.hybrid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.DomainSocketAddress;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.VsockAllowedCids;
import dev.vsock.boot.VsockUnavailableException;

/**
 * The Unix socket on which the host side of hybrid vsock listens: {@code <uds_path>_<port>}, where
 * Firecracker (and Cloud Hypervisor) forward the connections the guest opens to the host, CID 2,
 * on that port. Reactor Netty and Tomcat listen on it alike.
 */
public final class HybridVsockListenerSocket {

	private static final Log logger = LogFactory.getLog(HybridVsockListenerSocket.class);

	private final Path path;

	private final VsockAddress vsockAddress;

	private HybridVsockListenerSocket(Path path, VsockAddress vsockAddress) {
		this.path = path;
		this.vsockAddress = vsockAddress;
	}

	/**
	 * Checks the settings and names the socket.
	 * @param udsPath the Unix socket of the guest's vsock device (the VMM's {@code uds_path})
	 * @param configured the configured vsock address; its port is the one the guest calls
	 * @param allowedCids who may connect, which hybrid vsock cannot tell
	 * @return the socket to listen on
	 */
	public static HybridVsockListenerSocket prepare(Path udsPath, VsockAddress configured,
			VsockAllowedCids allowedCids) {
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
		return new HybridVsockListenerSocket(path, VsockAddress.of(VsockAddress.CID_HOST, configured.port()));
	}

	/**
	 * Returns what the listener is to the guest: port {@code port} of the host, CID 2.
	 * @return the vsock address the guest calls
	 */
	public VsockAddress vsockAddress() {
		return this.vsockAddress;
	}

	/**
	 * Returns the Unix socket the listener binds: {@code <uds_path>_<port>}.
	 * @return the path
	 */
	public Path path() {
		return this.path;
	}

	/**
	 * Returns the Unix socket address to bind, after removing a stale socket file left by an
	 * earlier run.
	 * @return the address
	 * @throws IllegalStateException if a file of another kind is in the way
	 */
	public DomainSocketAddress bindAddress() {
		try {
			// A socket is "other": neither a regular file, a directory nor a link. Anything else is
			// refused here, since Netty's native bind unlinks whatever the path names.
			if (!Files.readAttributes(this.path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
				throw new IllegalStateException("Cannot listen for hybrid vsock on " + this.path
						+ ": a file that is not a socket is in the way. Remove it, or choose another"
						+ " server.vsock.hybrid.uds-path");
			}
			Files.delete(this.path);
		}
		catch (NoSuchFileException ex) {
			// Nothing left by an earlier run.
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to remove the stale hybrid vsock socket " + this.path, ex);
		}
		return new DomainSocketAddress(this.path.toString());
	}

	/**
	 * Opens a non-blocking Unix socket, binds it to {@link #bindAddress()} and listens, for a
	 * server that drives the socket itself (Tomcat's vsock endpoint); Netty's own domain socket
	 * channel does this for Reactor Netty.
	 * @param backlog the length of the queue of connections not accepted yet
	 * @return the listening socket
	 * @throws IOException if the socket cannot be bound, for example because its directory is
	 * missing
	 */
	public LinuxSocket listen(int backlog) throws IOException {
		try {
			Epoll.ensureAvailability();
		}
		catch (UnsatisfiedLinkError ex) {
			throw new VsockUnavailableException(VsockUnavailableException.Reason.NATIVE_LIBRARY_MISSING, ex);
		}
		LinuxSocket socket = LinuxSocket.newSocketDomain();
		try {
			socket.bind(bindAddress());
			socket.listen(backlog);
			return socket;
		}
		catch (IOException | RuntimeException ex) {
			socket.close();
			throw ex;
		}
	}

	/**
	 * Removes the socket file once the listener is closed, as Netty's domain socket channel does,
	 * so that a guest calling the port meets a refusal rather than a file nobody listens on.
	 */
	public void remove() {
		try {
			Files.deleteIfExists(this.path);
		}
		catch (IOException ex) {
			logger.warn("Failed to remove the hybrid vsock socket " + this.path + ": remove it by hand", ex);
		}
	}

	@Override
	public String toString() {
		return this.path.toString();
	}

}
