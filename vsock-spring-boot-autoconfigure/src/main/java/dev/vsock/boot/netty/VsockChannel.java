package dev.vsock.boot.netty;

import java.net.SocketAddress;

import org.jspecify.annotations.Nullable;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPromise;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.epoll.Native;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.VsockPeer;

/**
 * A Netty stream channel over AF_VSOCK: a connection accepted by a {@link VsockServerChannel},
 * or a client that connects with {@code Bootstrap} to a {@link VsockAddress}.
 */
public final class VsockChannel extends AbstractEpollStreamChannel {

	private final VsockChannelConfig config = new VsockChannelConfig(this);

	private volatile @Nullable VsockAddress local;

	private volatile @Nullable VsockAddress remote;

	/**
	 * Creates an unconnected client channel over a new AF_VSOCK socket.
	 */
	public VsockChannel() {
		super(VsockNative.newStreamSocket(), false);
		this.config.applyConnectTimeout();
	}

	VsockChannel(VsockServerChannel parent, int fd) {
		super(parent, fd);
		this.local = VsockNative.localAddress(this.socket);
		this.remote = VsockNative.remoteAddress(this.socket);
	}

	@Override
	public VsockChannelConfig config() {
		return this.config;
	}

	@Override
	public @Nullable VsockServerChannel parent() {
		return (VsockServerChannel) super.parent();
	}

	// A channel whose connect failed is of no further use: it is closed, as Netty's Bootstrap
	// closes the channels it connects. Not closed, its socket stays registered with the event
	// loop, which reports it ready again and again (grpc-java connects without the Bootstrap,
	// and spun a core for each such channel).

	@Override
	public ChannelFuture connect(SocketAddress remoteAddress) {
		return closeOnFailure(pipeline().connect(remoteAddress));
	}

	@Override
	public ChannelFuture connect(SocketAddress remoteAddress, @Nullable SocketAddress localAddress) {
		return closeOnFailure(pipeline().connect(remoteAddress, localAddress));
	}

	@Override
	public ChannelFuture connect(SocketAddress remoteAddress, ChannelPromise promise) {
		return closeOnFailure(pipeline().connect(remoteAddress, promise));
	}

	@Override
	public ChannelFuture connect(SocketAddress remoteAddress, @Nullable SocketAddress localAddress,
			ChannelPromise promise) {
		return closeOnFailure(pipeline().connect(remoteAddress, localAddress, promise));
	}

	private static ChannelFuture closeOnFailure(ChannelFuture connect) {
		return connect.addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
	}

	@Override
	protected void doBind(SocketAddress localAddress) throws Exception {
		VsockNative.bind(this.socket, VsockNative.toVsockAddress(localAddress));
		this.local = VsockNative.localAddress(this.socket);
	}

	@Override
	protected boolean doConnect(SocketAddress remoteAddress, @Nullable SocketAddress localAddress)
			throws Exception {
		VsockAddress target = VsockNative.toVsockAddress(remoteAddress);
		if (localAddress != null) {
			doBind(localAddress);
		}
		boolean success = false;
		try {
			boolean connected = this.socket.connectVSock(target.toNetty());
			if (!connected) {
				setFlag(Native.EPOLLOUT);
			}
			this.remote = target;
			success = true;
			return connected;
		}
		finally {
			if (!success) {
				doClose();
			}
		}
	}

	/**
	 * Returns this end's address: the local CID and port as the kernel reports them.
	 * @return the local address, or {@code null} before it is bound or connected
	 */
	@Override
	public @Nullable VsockAddress localAddress() {
		return (VsockAddress) super.localAddress();
	}

	/**
	 * Returns the peer's address: for an accepted connection as the kernel reports it, for a
	 * client the address it connects to.
	 * @return the remote address, or {@code null} before a connection is attempted
	 */
	@Override
	public @Nullable VsockAddress remoteAddress() {
		return (VsockAddress) super.remoteAddress();
	}

	/**
	 * Returns the other end of this connection with this end's address.
	 * @return the peer, or {@code null} while the channel is not connected
	 */
	public @Nullable VsockPeer peer() {
		VsockAddress remote = remoteAddress();
		VsockAddress local = localAddress();
		return (remote != null && local != null) ? new VsockPeer(remote, local) : null;
	}

	@Override
	protected @Nullable SocketAddress localAddress0() {
		VsockAddress address = this.local;
		if (address == null && isOpen()) {
			address = VsockNative.localAddress(this.socket);
			if (address != null && address.port() != VsockAddress.PORT_ANY) {
				this.local = address;
			}
		}
		return address;
	}

	@Override
	protected @Nullable SocketAddress remoteAddress0() {
		return this.remote;
	}

}
