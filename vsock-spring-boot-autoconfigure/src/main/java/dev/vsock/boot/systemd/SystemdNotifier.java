package dev.vsock.boot.systemd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.Socket;

import dev.vsock.boot.netty.VsockChannel;

/**
 * Sends a service's state to the socket {@code NOTIFY_SOCKET} names, as systemd's
 * {@code sd_notify} does: newline-separated assignments such as {@code READY=1},
 * {@code STATUS=...} and {@code STOPPING=1}, one datagram to a Unix socket, or one connection
 * per message to a vsock stream socket, closed once the message is written.
 */
public final class SystemdNotifier {

	private final NotifySocket socket;

	private final Duration timeout;

	/**
	 * Creates a notifier.
	 * @param socket where the messages go
	 * @param timeout how long connecting and writing to a vsock receiver may take
	 */
	public SystemdNotifier(NotifySocket socket, Duration timeout) {
		this.socket = socket;
		this.timeout = timeout;
	}

	/**
	 * Returns where the messages go.
	 * @return the socket
	 */
	public NotifySocket socket() {
		return this.socket;
	}

	/**
	 * Sends one message.
	 * @param assignments the message's lines, for example {@code READY=1} and {@code STATUS=...}
	 * @throws IOException if the receiver cannot be reached or the message is not sent whole
	 */
	public void notify(String... assignments) throws IOException {
		byte[] message = String.join("\n", assignments).concat("\n").getBytes(StandardCharsets.UTF_8);
		Epoll.ensureAvailability();
		if (this.socket instanceof NotifySocket.Unix unix) {
			sendDatagram(unix, message);
		}
		else if (this.socket instanceof NotifySocket.Vsock vsock) {
			sendOverStream(vsock, message);
		}
	}

	private void sendDatagram(NotifySocket.Unix unix, byte[] message) throws IOException {
		Socket datagram = Socket.newSocketDomainDgram();
		try {
			ByteBuffer buffer = ByteBuffer.allocateDirect(message.length).put(message).flip();
			int sent = datagram.sendToDomainSocket(buffer, 0, message.length, unix.path());
			if (sent != message.length) {
				throw new IOException("Sent " + sent + " of " + message.length + " bytes to " + unix);
			}
		}
		finally {
			datagram.close();
		}
	}

	private void sendOverStream(NotifySocket.Vsock vsock, byte[] message) throws IOException {
		EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
		try {
			ChannelFuture connect = new Bootstrap().group(group)
				.channel(VsockChannel.class)
				.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, this.timeout.toMillis()))
				.handler(new ChannelInboundHandlerAdapter())
				.connect(vsock.address());
			Channel channel = await(connect, vsock).channel();
			try {
				await(channel.writeAndFlush(Unpooled.wrappedBuffer(message)), vsock);
			}
			finally {
				channel.close().awaitUninterruptibly(this.timeout.toMillis());
			}
		}
		finally {
			group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(this.timeout.toMillis());
		}
	}

	private ChannelFuture await(ChannelFuture future, NotifySocket.Vsock vsock) throws IOException {
		if (!future.awaitUninterruptibly(this.timeout.toMillis())) {
			future.cancel(false);
			throw new IOException("No answer from " + vsock + " within " + this.timeout);
		}
		Throwable cause = future.cause();
		if (cause != null) {
			throw new IOException("Cannot notify " + vsock + ": " + cause.getMessage(), cause);
		}
		return future;
	}

}
