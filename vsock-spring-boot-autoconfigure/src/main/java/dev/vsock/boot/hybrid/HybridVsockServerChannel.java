package dev.vsock.boot.hybrid;

import java.net.SocketAddress;

import io.netty.channel.Channel;
import io.netty.channel.epoll.AbstractEpollServerChannel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.ServerDomainSocketChannel;
import org.jspecify.annotations.Nullable;

import dev.vsock.boot.netty.VsockServerChannelConfig;

/**
 * A Netty server channel that listens on hybrid vsock's Unix socket through a
 * {@link HybridVsockListenerSocket}: like Netty's {@code EpollServerDomainSocketChannel}, but a
 * stale socket file is removed only when nobody listens on it, and on close only the file this
 * channel created is removed (Netty's removes whatever file is at the path, even one another
 * process listens on since).
 */
public final class HybridVsockServerChannel extends AbstractEpollServerChannel implements ServerDomainSocketChannel {

	private final VsockServerChannelConfig config = new VsockServerChannelConfig(this);

	private final HybridVsockListenerSocket listener;

	private volatile @Nullable DomainSocketAddress local;

	/**
	 * Creates an unbound server channel over a new Unix socket.
	 * @param listener the hybrid vsock socket to bind
	 */
	public HybridVsockServerChannel(HybridVsockListenerSocket listener) {
		super(LinuxSocket.newSocketDomain(), false);
		this.listener = listener;
	}

	@Override
	public VsockServerChannelConfig config() {
		return this.config;
	}

	/**
	 * Binds to the listener's Unix socket, whatever address is given: Reactor Netty asks with the
	 * same path.
	 */
	@Override
	protected void doBind(SocketAddress localAddress) throws Exception {
		this.listener.bind(this.socket);
		this.socket.listen(this.config.getBacklog());
		this.local = new DomainSocketAddress(this.listener.path().toString());
		this.active = true;
	}

	@Override
	protected void doClose() throws Exception {
		try {
			super.doClose();
		}
		finally {
			if (this.local != null) {
				this.listener.remove();
			}
		}
	}

	@Override
	protected Channel newChildChannel(int fd, byte[] address, int offset, int length) {
		return new EpollDomainSocketChannel(this, LinuxSocket.newSocket(fd));
	}

	@Override
	public @Nullable DomainSocketAddress localAddress() {
		return (DomainSocketAddress) super.localAddress();
	}

	@Override
	public @Nullable DomainSocketAddress remoteAddress() {
		return null;
	}

	@Override
	protected @Nullable SocketAddress localAddress0() {
		return this.local;
	}

}
