package dev.vsock.boot.hybrid;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.PendingWriteQueue;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

import dev.vsock.boot.VsockAddress;

/**
 * The host's half of Firecracker's hybrid vsock handshake, first in the pipeline of a connection
 * to the Unix socket that backs a guest's vsock device ({@code uds_path}): sends
 * {@code CONNECT <port>\n} when the connection opens, holds back what the handlers above write
 * until the answer {@code OK <host port>\n} has come, and then steps aside, so that HTTP (or TLS)
 * runs over the connection as over any stream.
 *
 * <p>The protocol, from Firecracker's {@code docs/vsock.md} (Cloud Hypervisor speaks the same):
 * <ul>
 * <li>the host sends one line, {@code CONNECT} and the guest port in decimal, ended by
 * {@code \n} (0x0A);</li>
 * <li>if a guest process listens on that port, the VMM answers one line, {@code OK} and the port
 * it assigned to the host's end (an unsigned 32-bit number, such as {@code 1073741824}), ended by
 * {@code \n}; from the next byte on, the connection is the guest's;</li>
 * <li>if nothing listens on that port, the VMM closes the connection without a word.</li>
 * </ul>
 * The port in the answer is kept as the channel attribute {@link #HOST_PORT}.
 */
public final class HybridVsockConnectHandler extends ChannelDuplexHandler {

	/** The name the handler takes in a pipeline. */
	public static final String NAME = "vsock.hybridConnect";

	/** The host-side port the VMM assigned, from its {@code OK} line. */
	public static final AttributeKey<Long> HOST_PORT = AttributeKey.valueOf(HybridVsockConnectHandler.class,
			"hostPort");

	/** Longer than any answer the protocol allows ({@code OK 4294967295\n} is 14 bytes). */
	private static final int MAX_ANSWER = 64;

	private final Path socketPath;

	private final long port;

	private final long timeoutMillis;

	private @Nullable ByteBuf answer;

	private @Nullable PendingWriteQueue pendingWrites;

	private boolean flushPending;

	private boolean started;

	private boolean done;

	private @Nullable ScheduledFuture<?> timeout;

	/**
	 * Creates the handler for one connection.
	 * @param socketPath the Unix socket the connection goes to, for messages
	 * @param port the guest's vsock port to connect to
	 * @param timeoutMillis how long to wait for the answer, 0 for as long as it takes
	 */
	public HybridVsockConnectHandler(Path socketPath, long port, long timeoutMillis) {
		this.socketPath = Objects.requireNonNull(socketPath, "socketPath");
		this.port = checkGuestPort(port);
		this.timeoutMillis = timeoutMillis;
	}

	/**
	 * Checks that a port can be named in {@code CONNECT}: an unsigned 32-bit number that is not
	 * 'any'.
	 * @param port the guest port
	 * @return the port
	 * @throws IllegalArgumentException if it cannot be connected to
	 */
	static long checkGuestPort(long port) {
		VsockAddress.of(VsockAddress.CID_ANY, port);
		if (port == 0 || port == VsockAddress.PORT_ANY) {
			throw new IllegalArgumentException(
					"Invalid guest port " + port + " to CONNECT to: 'any' is for listening; give the port the guest"
							+ " listens on");
		}
		return port;
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.answer = ctx.alloc().buffer(MAX_ANSWER, MAX_ANSWER);
		this.pendingWrites = new PendingWriteQueue(ctx);
		if (ctx.channel().isActive()) {
			start(ctx);
		}
	}

	@Override
	public void connect(ChannelHandlerContext ctx, SocketAddress remoteAddress, @Nullable SocketAddress localAddress,
			ChannelPromise promise) {
		if (!Files.exists(this.socketPath)) {
			promise.setFailure(new HybridVsockConnectException("No Unix socket at " + this.socketPath
					+ " to reach vsock port " + this.port + ": is the VMM running, with that path as its vsock"
					+ " device's uds_path?"));
			return;
		}
		ctx.connect(remoteAddress, localAddress, promise);
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) {
		start(ctx);
		ctx.fireChannelActive();
	}

	private void start(ChannelHandlerContext ctx) {
		if (this.started) {
			return;
		}
		this.started = true;
		ByteBuf line = Unpooled.copiedBuffer("CONNECT " + this.port + "\n", StandardCharsets.US_ASCII);
		ctx.writeAndFlush(line).addListener((future) -> {
			if (!future.isSuccess()) {
				fail(ctx, new HybridVsockConnectException("Failed to send 'CONNECT " + this.port + "' on "
						+ this.socketPath + ": " + future.cause().getMessage(), future.cause()));
			}
		});
		readIfNeeded(ctx);
		if (this.timeoutMillis > 0) {
			this.timeout = ctx.executor().schedule(() -> fail(ctx, new HybridVsockConnectException(
					"No answer to 'CONNECT " + this.port + "' on " + this.socketPath + " within "
							+ this.timeoutMillis + " ms: is the VMM (Firecracker, Cloud Hypervisor) behind that"
							+ " socket running?")),
					this.timeoutMillis, TimeUnit.MILLISECONDS);
		}
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (this.done || !(msg instanceof ByteBuf bytes)) {
			ctx.fireChannelRead(msg);
			return;
		}
		ByteBuf answer = Objects.requireNonNull(this.answer);
		try {
			int newline = bytes.indexOf(bytes.readerIndex(), bytes.writerIndex(), (byte) '\n');
			int take = (newline >= 0) ? newline - bytes.readerIndex() + 1 : bytes.readableBytes();
			if (take > answer.writableBytes()) {
				fail(ctx, new HybridVsockConnectException("The answer to 'CONNECT " + this.port + "' on "
						+ this.socketPath + " is not a line 'OK <port>': no end of line in its first "
						+ MAX_ANSWER + " bytes"));
				return;
			}
			answer.writeBytes(bytes, take);
			if (newline < 0) {
				return;
			}
			String line = answer.toString(StandardCharsets.US_ASCII).stripTrailing();
			long hostPort = parseOk(line);
			if (hostPort < 0) {
				fail(ctx, new HybridVsockConnectException("The answer to 'CONNECT " + this.port + "' on "
						+ this.socketPath + " is '" + line + "', not 'OK <port>'"));
				return;
			}
			ctx.channel().attr(HOST_PORT).set(hostPort);
			succeed(ctx, bytes.isReadable() ? bytes.retain() : null);
		}
		finally {
			bytes.release();
		}
	}

	/**
	 * Returns the port of an {@code OK <port>} line, or -1 if the line is anything else.
	 */
	static long parseOk(String line) {
		if (!line.startsWith("OK ")) {
			return -1;
		}
		String number = line.substring(3);
		if (number.isEmpty() || number.length() > 10 || !number.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			return -1;
		}
		long port = Long.parseLong(number);
		return (port <= VsockAddress.PORT_ANY) ? port : -1;
	}

	private void succeed(ChannelHandlerContext ctx, @Nullable ByteBuf rest) {
		this.done = true;
		cancelTimeout();
		releaseAnswer();
		PendingWriteQueue pending = Objects.requireNonNull(this.pendingWrites);
		if (!pending.isEmpty()) {
			pending.removeAndWriteAll();
		}
		if (this.flushPending) {
			ctx.flush();
		}
		if (rest != null) {
			ctx.fireChannelRead(rest);
			ctx.fireChannelReadComplete();
		}
		else {
			// The read the answer used may have been the application's: ask again for it.
			readIfNeeded(ctx);
		}
		ctx.pipeline().remove(this);
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) {
		if (this.done) {
			ctx.fireChannelReadComplete();
		}
		else {
			readIfNeeded(ctx);
		}
	}

	/**
	 * Asks for the answer when the application reads only on demand (Reactor Netty's client does,
	 * and asks only once its request is written, which waits for the answer).
	 */
	private static void readIfNeeded(ChannelHandlerContext ctx) {
		if (!ctx.channel().config().isAutoRead()) {
			ctx.read();
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		if (!this.done) {
			fail(ctx, new HybridVsockConnectException("Nothing accepted the connection to vsock port " + this.port
					+ " through " + this.socketPath + ": the VMM closed it without answering 'CONNECT " + this.port
					+ "', which Firecracker does when no process in the guest listens on that port. Check that"
					+ " the guest's service is up and listens on vsock port " + this.port + "."));
		}
		ctx.fireChannelInactive();
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		if (this.done) {
			ctx.write(msg, promise);
			return;
		}
		PendingWriteQueue pending = this.pendingWrites;
		if (pending == null) {
			promise.setFailure(new HybridVsockConnectException("The hybrid vsock connection on "
					+ this.socketPath + " was closed before 'CONNECT " + this.port + "' was answered"));
			return;
		}
		pending.add(msg, promise);
	}

	@Override
	public void flush(ChannelHandlerContext ctx) {
		if (this.done) {
			ctx.flush();
		}
		else {
			this.flushPending = true;
		}
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		if (this.done) {
			ctx.fireExceptionCaught(cause);
		}
		else {
			fail(ctx, new HybridVsockConnectException("The hybrid vsock connection to port " + this.port
					+ " through " + this.socketPath + " failed before 'CONNECT' was answered: " + cause.getMessage(),
					cause));
		}
	}

	private void fail(ChannelHandlerContext ctx, HybridVsockConnectException failure) {
		if (this.done) {
			return;
		}
		this.done = true;
		cancelTimeout();
		releaseAnswer();
		PendingWriteQueue pending = this.pendingWrites;
		this.pendingWrites = null;
		if (pending != null) {
			pending.removeAndFailAll(failure);
		}
		ctx.fireExceptionCaught(failure);
		ctx.close();
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		cancelTimeout();
		releaseAnswer();
		PendingWriteQueue pending = this.pendingWrites;
		this.pendingWrites = null;
		if (pending != null && !pending.isEmpty()) {
			pending.removeAndWriteAll();
		}
	}

	private void cancelTimeout() {
		ScheduledFuture<?> timeout = this.timeout;
		this.timeout = null;
		if (timeout != null) {
			timeout.cancel(false);
		}
	}

	private void releaseAnswer() {
		ByteBuf answer = this.answer;
		this.answer = null;
		if (answer != null) {
			answer.release();
		}
	}

}
