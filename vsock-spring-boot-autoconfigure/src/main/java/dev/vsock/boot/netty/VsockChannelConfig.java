package dev.vsock.boot.netty;

import java.io.IOException;
import java.time.Duration;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOption;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelConfig;
import io.netty.channel.epoll.EpollMode;
import io.netty.channel.socket.SocketChannelConfig;

/**
 * The configuration of a {@link VsockChannel}: half-closure and the epoll settings every epoll
 * channel has.
 *
 * <p>It is a {@link SocketChannelConfig} because Netty honours half-closure only there, and so
 * that code written for TCP channels runs unchanged: the TCP-only settings (no-delay, linger,
 * keep-alive, traffic class, TCP's buffer sizes, address reuse) are accepted and ignored, since
 * AF_VSOCK has none of them. Its own buffer size is {@link VsockChannelOption#BUFFER_SIZE}.
 */
public final class VsockChannelConfig extends EpollChannelConfig implements SocketChannelConfig {

	private volatile boolean allowHalfClosure;

	VsockChannelConfig(VsockChannel channel) {
		super(channel);
	}

	@Override
	public boolean isAllowHalfClosure() {
		return this.allowHalfClosure;
	}

	@Override
	public VsockChannelConfig setAllowHalfClosure(boolean allowHalfClosure) {
		this.allowHalfClosure = allowHalfClosure;
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
	public VsockChannelConfig setBufferSize(long bufferSize) {
		try {
			VsockNative.setBufferSize(socket(), bufferSize);
			return this;
		}
		catch (IOException ex) {
			throw new ChannelException(ex);
		}
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> T getOption(ChannelOption<T> option) {
		if (option == ChannelOption.ALLOW_HALF_CLOSURE) {
			return (T) Boolean.valueOf(this.allowHalfClosure);
		}
		if (option == VsockChannelOption.BUFFER_SIZE) {
			return (T) Long.valueOf(getBufferSize());
		}
		return super.getOption(option);
	}

	@Override
	public <T> boolean setOption(ChannelOption<T> option, T value) {
		validate(option, value);
		if (option == ChannelOption.ALLOW_HALF_CLOSURE) {
			setAllowHalfClosure((Boolean) value);
			return true;
		}
		if (option == VsockChannelOption.BUFFER_SIZE) {
			setBufferSize((Long) value);
			return true;
		}
		return VsockChannelOptions.isIgnored(option) || super.setOption(option, value);
	}

	// TCP-only settings: accepted, ignored.

	@Override
	public boolean isTcpNoDelay() {
		return false;
	}

	@Override
	public VsockChannelConfig setTcpNoDelay(boolean tcpNoDelay) {
		return this;
	}

	@Override
	public int getSoLinger() {
		return -1;
	}

	@Override
	public VsockChannelConfig setSoLinger(int soLinger) {
		return this;
	}

	@Override
	public int getSendBufferSize() {
		return -1;
	}

	@Override
	public VsockChannelConfig setSendBufferSize(int sendBufferSize) {
		return this;
	}

	@Override
	public int getReceiveBufferSize() {
		return -1;
	}

	@Override
	public VsockChannelConfig setReceiveBufferSize(int receiveBufferSize) {
		return this;
	}

	@Override
	public boolean isKeepAlive() {
		return false;
	}

	@Override
	public VsockChannelConfig setKeepAlive(boolean keepAlive) {
		return this;
	}

	@Override
	public int getTrafficClass() {
		return 0;
	}

	@Override
	public VsockChannelConfig setTrafficClass(int trafficClass) {
		return this;
	}

	@Override
	public boolean isReuseAddress() {
		return false;
	}

	@Override
	public VsockChannelConfig setReuseAddress(boolean reuseAddress) {
		return this;
	}

	@Override
	public VsockChannelConfig setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
		return this;
	}

	// Covariant returns, as SocketChannelConfig and EpollChannelConfig both declare them.

	/**
	 * Sets the connect timeout, Netty's and the kernel's: the kernel fails a vsock connect after
	 * 2 s of its own unless told otherwise, so a longer timeout would otherwise never be reached.
	 * @param connectTimeoutMillis the timeout, or {@code 0} for none
	 * @return this configuration
	 */
	@Override
	public VsockChannelConfig setConnectTimeoutMillis(int connectTimeoutMillis) {
		super.setConnectTimeoutMillis(connectTimeoutMillis);
		applyConnectTimeout();
		return this;
	}

	/** Gives the kernel this configuration's connect timeout; none is as long as it can wait. */
	void applyConnectTimeout() {
		int millis = getConnectTimeoutMillis();
		try {
			VsockNative.setConnectTimeout(socket(),
					(millis > 0) ? Duration.ofMillis(millis) : Duration.ofSeconds(Integer.MAX_VALUE));
		}
		catch (IOException ex) {
			throw new ChannelException(ex);
		}
	}

	@Override
	@Deprecated
	public VsockChannelConfig setMaxMessagesPerRead(int maxMessagesPerRead) {
		super.setMaxMessagesPerRead(maxMessagesPerRead);
		return this;
	}

	@Override
	public VsockChannelConfig setWriteSpinCount(int writeSpinCount) {
		super.setWriteSpinCount(writeSpinCount);
		return this;
	}

	@Override
	public VsockChannelConfig setAllocator(ByteBufAllocator allocator) {
		super.setAllocator(allocator);
		return this;
	}

	@Override
	public VsockChannelConfig setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
		super.setRecvByteBufAllocator(allocator);
		return this;
	}

	@Override
	public VsockChannelConfig setAutoRead(boolean autoRead) {
		super.setAutoRead(autoRead);
		return this;
	}

	@Override
	public VsockChannelConfig setAutoClose(boolean autoClose) {
		super.setAutoClose(autoClose);
		return this;
	}

	@Override
	@Deprecated
	public VsockChannelConfig setWriteBufferHighWaterMark(int writeBufferHighWaterMark) {
		super.setWriteBufferHighWaterMark(writeBufferHighWaterMark);
		return this;
	}

	@Override
	@Deprecated
	public VsockChannelConfig setWriteBufferLowWaterMark(int writeBufferLowWaterMark) {
		super.setWriteBufferLowWaterMark(writeBufferLowWaterMark);
		return this;
	}

	@Override
	public VsockChannelConfig setWriteBufferWaterMark(WriteBufferWaterMark writeBufferWaterMark) {
		super.setWriteBufferWaterMark(writeBufferWaterMark);
		return this;
	}

	@Override
	public VsockChannelConfig setMessageSizeEstimator(MessageSizeEstimator estimator) {
		super.setMessageSizeEstimator(estimator);
		return this;
	}

	@Override
	public VsockChannelConfig setEpollMode(EpollMode mode) {
		super.setEpollMode(mode);
		return this;
	}

}
