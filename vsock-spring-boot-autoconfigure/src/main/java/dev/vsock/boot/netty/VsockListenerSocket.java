package dev.vsock.boot.netty;

import java.io.IOException;
import java.net.SocketAddress;

import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.LinuxSocket;
import org.jspecify.annotations.Nullable;

import dev.vsock.boot.VsockAddress;

/**
 * The socket a server's vsock listener listens on: an AF_VSOCK socket
 * ({@link AfVsockListenerSocket}), or, for the host side of hybrid vsock, the Unix socket to which
 * the VMM forwards its guest's connections. It owns what differs between the two (binding,
 * listening, who a connection's peer is, how it is described, what closing leaves behind), so
 * that the servers do not: Tomcat's endpoint listens on {@link #listen(int)}, Reactor Netty binds
 * a {@link #newServerChannel()}.
 */
public interface VsockListenerSocket {

	/**
	 * Returns the vsock address peers call: the port the kernel picked once {@link #listen(int)}
	 * bound it, the configured address before (a {@link #newServerChannel()} reads back its own).
	 * @return the address
	 */
	VsockAddress address();

	/**
	 * Binds a new non-blocking socket and listens, for a server that drives the socket itself.
	 * @param backlog the length of the queue of connections not accepted yet
	 * @return the listening socket
	 * @throws IOException if the socket cannot be bound
	 */
	LinuxSocket listen(int backlog) throws IOException;

	/**
	 * Returns a new Netty server channel for this socket, to bind to {@link #bindAddress()}.
	 * @return the channel
	 */
	ServerChannel newServerChannel();

	/**
	 * Returns the type of {@link #newServerChannel()}'s channels.
	 * @return the channel type
	 */
	Class<? extends ServerChannel> serverChannelType();

	/**
	 * Returns the address to bind a {@link #newServerChannel()} to.
	 * @return the address
	 */
	SocketAddress bindAddress();

	/**
	 * Returns whether the peers of this socket's connections have a CID this end can read: an
	 * AF_VSOCK peer has, the guest behind a VMM's Unix socket has not.
	 * @return whether connections have a peer CID
	 */
	boolean knowsPeers();

	/**
	 * Returns the peer of an accepted connection.
	 * @param accepted the connection's socket
	 * @return the peer's address, or {@code null} when it cannot be read: the peer is gone, or the
	 * socket does not {@linkplain #knowsPeers() know its peers}
	 */
	@Nullable VsockAddress peer(LinuxSocket accepted);

	/**
	 * Returns this end's address of an accepted connection.
	 * @param accepted the connection's socket
	 * @return the address, or {@code null} when it cannot be read
	 */
	@Nullable VsockAddress local(LinuxSocket accepted);

	/**
	 * Describes where the listener listens, for logs and errors, for example
	 * {@code vsock cid=any port=5000}.
	 * @param bound the address peers call, as the bound socket reports it
	 * @return the description
	 */
	String describe(VsockAddress bound);

	/**
	 * Returns the receive buffer size of the connections this socket accepts, as the kernel reports
	 * it: AF_VSOCK's {@code SO_VM_SOCKETS_BUFFER_SIZE}.
	 * @return the size in bytes, or {@code null} before the socket is opened or when the socket has
	 * no such size (hybrid vsock's Unix socket, whose buffers the VMM owns)
	 */
	default @Nullable Long bufferSize() {
		return null;
	}

	/**
	 * Returns where the socket came from when the process inherited it from its service manager
	 * (socket activation) instead of binding it.
	 * @return for example {@code fd 3 'http'}, or {@code null} for a socket the server binds
	 */
	default @Nullable String inheritedFrom() {
		return null;
	}

	/**
	 * Cleans up after the listening socket is closed.
	 */
	void closed();

}
