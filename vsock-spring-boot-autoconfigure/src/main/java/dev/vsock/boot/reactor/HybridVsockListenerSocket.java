package dev.vsock.boot.reactor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

import io.netty.channel.unix.DomainSocketAddress;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.VsockAllowedCids;
import dev.vsock.boot.hybrid.HybridVsockClients;

/**
 * The Unix socket on which the host side of hybrid vsock listens: {@code <uds_path>_<port>}, where
 * Firecracker (and Cloud Hypervisor) forward the connections the guest opens to the host, CID 2,
 * on that port.
 */
final class HybridVsockListenerSocket {

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
	static HybridVsockListenerSocket prepare(Path udsPath, VsockAddress configured, VsockAllowedCids allowedCids) {
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
	VsockAddress vsockAddress() {
		return this.vsockAddress;
	}

	/**
	 * Returns the Unix socket the listener binds: {@code <uds_path>_<port>}.
	 * @return the path
	 */
	Path path() {
		return this.path;
	}

	/**
	 * Returns the Unix socket address to bind, after removing a stale socket file left by an
	 * earlier run (a file of another kind is left alone, and the bind fails on it).
	 * @return the address
	 */
	SocketAddress bindAddress() {
		try {
			// A socket is "other": neither a regular file, a directory nor a link.
			if (Files.readAttributes(this.path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
				Files.delete(this.path);
			}
		}
		catch (NoSuchFileException ex) {
			// Nothing left by an earlier run.
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to remove the stale hybrid vsock socket " + this.path, ex);
		}
		return new DomainSocketAddress(this.path.toString());
	}

}
