package dev.vsock.boot.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.function.UnaryOperator;

import io.netty.channel.Channel;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.netty.VsockChannel;
import dev.vsock.boot.netty.VsockServerChannel;

/**
 * A stream transport the raw benchmark compares: its Netty channels, where a server binds and how
 * a client reaches the address the server was bound to.
 */
enum RawTransport {

	VSOCK("vsock", VsockServerChannel.class, VsockChannel.class, VsockAddress.of(VsockAddress.CID_ANY, VsockAddress.PORT_ANY),
			(bound) -> VsockAddress.of(VsockAddress.CID_LOCAL, ((VsockAddress) bound).port())),

	TCP("tcp", EpollServerSocketChannel.class, EpollSocketChannel.class,
			new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), UnaryOperator.identity());

	private final String id;

	private final Class<? extends ServerChannel> serverChannel;

	private final Class<? extends Channel> clientChannel;

	private final SocketAddress bindAddress;

	private final UnaryOperator<SocketAddress> connectAddress;

	RawTransport(String id, Class<? extends ServerChannel> serverChannel, Class<? extends Channel> clientChannel,
			SocketAddress bindAddress, UnaryOperator<SocketAddress> connectAddress) {
		this.id = id;
		this.serverChannel = serverChannel;
		this.clientChannel = clientChannel;
		this.bindAddress = bindAddress;
		this.connectAddress = connectAddress;
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
