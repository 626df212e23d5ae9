package dev.vsock.boot.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.UnaryOperator;

import io.netty.bootstrap.AbstractBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.RawUnixChannelOption;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.netty.VsockChannel;
import dev.vsock.boot.netty.VsockServerChannel;

/**
 * A stream transport the raw benchmark compares: its Netty channels, where a server binds and how
 * a client reaches the address the server was bound to.
 */
enum RawTransport {

	VSOCK("vsock", 0),

	/**
	 * vsock with 1 MiB socket buffers instead of the kernel's 256 KiB default: what a larger
	 * {@code SO_VM_SOCKETS_BUFFER_SIZE} (the receive credit a peer may send ahead) would give.
	 */
	VSOCK_1MIB_BUFFER("vsock, 1 MiB buffers", 1024 * 1024),

	TCP("tcp", EpollServerSocketChannel.class, EpollSocketChannel.class,
			new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), UnaryOperator.identity(), 0);

	/** {@code AF_VSOCK}: the level of the vsock socket options (linux/vm_sockets.h). */
	private static final int AF_VSOCK = 40;

	private static final int SO_VM_SOCKETS_BUFFER_SIZE = 0;

	private static final int SO_VM_SOCKETS_BUFFER_MAX_SIZE = 2;

	private final String id;

	private final Class<? extends ServerChannel> serverChannel;

	private final Class<? extends Channel> clientChannel;

	private final SocketAddress bindAddress;

	private final UnaryOperator<SocketAddress> connectAddress;

	private final long vsockBufferSize;

	/**
	 * A vsock transport: the project's channels, bound to CID any and reached at CID 1.
	 * @param id the transport's name in the results
	 * @param vsockBufferSize the socket buffer size to set, or 0 for the kernel's default
	 */
	RawTransport(String id, long vsockBufferSize) {
		this(id, VsockServerChannel.class, VsockChannel.class, VsockAddress.of(VsockAddress.CID_ANY, VsockAddress.PORT_ANY),
				(bound) -> VsockAddress.of(VsockAddress.CID_LOCAL, ((VsockAddress) bound).port()), vsockBufferSize);
	}

	RawTransport(String id, Class<? extends ServerChannel> serverChannel, Class<? extends Channel> clientChannel,
			SocketAddress bindAddress, UnaryOperator<SocketAddress> connectAddress, long vsockBufferSize) {
		this.id = id;
		this.serverChannel = serverChannel;
		this.clientChannel = clientChannel;
		this.bindAddress = bindAddress;
		this.connectAddress = connectAddress;
		this.vsockBufferSize = vsockBufferSize;
	}

	/**
	 * Sets this transport's socket options on a bootstrap: for the listener, whose accepted
	 * sockets inherit its vsock buffer sizes in the kernel, and for the client.
	 * @param bootstrap a server or client bootstrap
	 * @param <B> the bootstrap's type
	 * @return the bootstrap
	 */
	<B extends AbstractBootstrap<B, ?>> B configure(B bootstrap) {
		if (this.vsockBufferSize > 0) {
			// The maximum first: the kernel clamps the size to it (256 KiB by default).
			bootstrap.option(new RawUnixChannelOption("SO_VM_SOCKETS_BUFFER_MAX_SIZE", AF_VSOCK,
					SO_VM_SOCKETS_BUFFER_MAX_SIZE, Long.BYTES), u64(this.vsockBufferSize));
			bootstrap.option(new RawUnixChannelOption("SO_VM_SOCKETS_BUFFER_SIZE", AF_VSOCK, SO_VM_SOCKETS_BUFFER_SIZE,
					Long.BYTES), u64(this.vsockBufferSize));
		}
		return bootstrap;
	}

	/**
	 * Reads this transport's vsock buffer size back from a connected channel, so that a run in
	 * which the kernel refused or clamped it (Netty only logs a failed option) does not pass for
	 * one that had it.
	 * @param channel a connected channel of this transport
	 * @return what is wrong, or {@code null} when the size took effect or this transport sets none
	 */
	String checkBufferSize(Channel channel) {
		if (this.vsockBufferSize <= 0) {
			return null;
		}
		ByteBuffer value = channel.config()
			.getOption(new RawUnixChannelOption("SO_VM_SOCKETS_BUFFER_SIZE", AF_VSOCK, SO_VM_SOCKETS_BUFFER_SIZE,
					Long.BYTES));
		long actual = (value != null) ? value.order(ByteOrder.nativeOrder()).getLong(0) : -1;
		return (actual == this.vsockBufferSize) ? null : this.id + ": SO_VM_SOCKETS_BUFFER_SIZE of " + channel
				+ " is " + actual + ", expected " + this.vsockBufferSize;
	}

	private static ByteBuffer u64(long value) {
		return ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.nativeOrder()).putLong(0, value);
	}

	String id() {
		return this.id;
	}

	Class<? extends ServerChannel> serverChannel() {
		return this.serverChannel;
	}

	Class<? extends Channel> clientChannel() {
		return this.clientChannel;
	}

	SocketAddress bindAddress() {
		return this.bindAddress;
	}

	/** The address a client connects to: CID 1 for a listener bound to CID any, the same address for TCP. */
	SocketAddress connectAddress(SocketAddress bound) {
		return this.connectAddress.apply(bound);
	}

}
