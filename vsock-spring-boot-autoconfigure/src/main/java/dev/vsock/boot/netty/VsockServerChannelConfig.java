package dev.vsock.boot.netty;

import java.io.IOException;

import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.AbstractEpollServerChannel;
import io.netty.channel.epoll.EpollChannelConfig;
import io.netty.util.NetUtil;

/**
 * The configuration of a {@link VsockServerChannel} (and of hybrid vsock's server channel on a
 * Unix socket): the backlog, vsock's buffer size (which accepted connections inherit), and the
 * epoll settings every epoll channel has; TCP-only options are
 * accepted and ignored.
 */
public final class VsockServerChannelConfig extends EpollChannelConfig {

	private volatile int backlog = NetUtil.SOMAXCONN;

	/**
	 * Creates the configuration of a server channel.
	 * @param channel the channel
	 */
	public VsockServerChannelConfig(AbstractEpollServerChannel channel) {
		super(channel);
	}

	/**
	 * Returns the length of the queue of connections the kernel accepts before the server does.
	 * @return the backlog
	 */
	public int getBacklog() {
		return this.backlog;
	}

	/**
	 * Sets the backlog; it takes effect when the channel is bound.
	 * @param backlog the backlog, at least 0
	 * @return this configuration
	 */
	public VsockServerChannelConfig setBacklog(int backlog) {
		if (backlog < 0) {
			throw new IllegalArgumentException("Invalid backlog " + backlog + ": expected 0 or more");
		}
		this.backlog = backlog;
		return this;
	}

	/**
	 * Returns the size of the socket's receive buffer, as the kernel reports it.
	 * @return the size in bytes
	 * @see VsockChannelOption#BUFFER_SIZE
	 */
	public long getBufferSize() {
		try {
			return VsockNative.bufferSize(socket());
		}
		catch (IOException ex) {
			throw new ChannelException(ex);
		}
	}

	/**
	 * Sets the size of the socket's receive buffer, and its maximum.
	 * @param bufferSize the size in bytes
	 * @return this configuration
	 * @see VsockChannelOption#BUFFER_SIZE
	 */
	public VsockServerChannelConfig setBufferSize(long bufferSize) {
		try {
			VsockNative.setBufferSize(socket(), bufferSize);
			return this;
		}
		catch (IOException ex) {
			throw new ChannelException(ex);
		}
	}

	@Override
	@SuppressWarnings({ "unchecked", "deprecation" })
	public <T> T getOption(ChannelOption<T> option) {
		if (option == ChannelOption.SO_BACKLOG) {
			return (T) Integer.valueOf(this.backlog);
		}
		if (option == VsockChannelOption.BUFFER_SIZE) {
			return (T) Long.valueOf(getBufferSize());
		}
		return super.getOption(option);
	}

	@Override
	public <T> boolean setOption(ChannelOption<T> option, T value) {
		validate(option, value);
		if (option == ChannelOption.SO_BACKLOG) {
			setBacklog((Integer) value);
			return true;
		}
		if (option == VsockChannelOption.BUFFER_SIZE) {
			setBufferSize((Long) value);
			return true;
		}
		return VsockChannelOptions.isIgnored(option) || super.setOption(option, value);
	}

}
