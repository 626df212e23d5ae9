package dev.vsock.boot.netty;

import java.net.SocketAddress;

import org.jspecify.annotations.Nullable;

import io.netty.channel.Channel;
import io.netty.channel.epoll.AbstractEpollServerChannel;
import io.netty.channel.epoll.LinuxSocket;

import dev.vsock.boot.VsockAddress;

/**
 * A Netty server channel that listens on AF_VSOCK and accepts {@link VsockChannel}s; use it with
 * {@code ServerBootstrap} and an epoll event loop group
 * ({@code new MultiThreadIoEventLoopGroup(EpollIoHandler.newFactory())}), bound to a
 * {@link VsockAddress}.
 */
public final class VsockServerChannel extends AbstractEpollServerChannel {

	private final VsockServerChannelConfig config = new VsockServerChannelConfig(this);

	private volatile @Nullable VsockAddress local;

	private final boolean inherited;

	/**
	 * Creates an unbound server channel over a new AF_VSOCK socket.
	 */
	public VsockServerChannel() {
		super(VsockNative.newStreamSocket(), false);
		this.inherited = false;
	}

	/**
	 * Creates a server channel over a socket that is bound and listening already: one the process
	 * inherited from its service manager.
	 * @param listening the socket, non-blocking
	 */
	VsockServerChannel(LinuxSocket listening) {
		super(listening, true);
		this.inherited = true;
		this.local = VsockNative.localAddress(listening);
	}

	/** The socket, for the listener sockets of this package. */
	LinuxSocket socket() {
		return this.socket;
	}

	@Override
	public VsockServerChannelConfig config() {
		return this.config;
	}

	@Override
	protected void doBind(SocketAddress localAddress) throws Exception {
		if (this.inherited) {
			// Bound and listening already: the bootstrap's bind has nothing left to do.
			return;
		}
		VsockNative.bind(this.socket, VsockNative.toVsockAddress(localAddress));
		this.socket.listen(this.config.getBacklog());
		this.local = VsockNative.localAddress(this.socket);
		this.active = true;
	}

	@Override
	protected Channel newChildChannel(int fd, byte[] address, int offset, int length) {
		return new VsockChannel(this, fd);
	}

	/**
	 * Returns the address the channel listens on, the port read back from the kernel.
	 * @return the address, or {@code null} before the channel is bound
	 */
	@Override
	public @Nullable VsockAddress localAddress() {
		return (VsockAddress) super.localAddress();
	}

	@Override
	protected @Nullable SocketAddress localAddress0() {
		return this.local;
	}

}
