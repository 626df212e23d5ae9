package dev.vsock.boot.testsupport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DuplexChannel;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.netty.VsockChannel;

/**
 * Sends bytes exactly as given over vsock loopback and collects every byte the server sends back:
 * for what an HTTP client library would not send (pipelined requests, hand-made chunks, half a
 * request, malformed ones) and for exact byte counts.
 */
public final class VsockRawClient implements AutoCloseable {

	private final ByteArrayOutputStream received = new ByteArrayOutputStream();

	private final Channel channel;

	private VsockRawClient(long port) throws InterruptedException {
		this.channel = connect(port, this.received).sync().channel();
	}

	/**
	 * Starts connecting to a port of this machine (CID 1), without waiting for the connection.
	 * @param port the port
	 * @return the connection's future
	 */
	public static ChannelFuture connectAsync(long port) {
		return connect(port, new ByteArrayOutputStream());
	}

	private static ChannelFuture connect(long port, ByteArrayOutputStream received) {
		return new Bootstrap().group(VsockHttpClient.group)
			.channel(VsockChannel.class)
			.handler(new ChannelInitializer<>() {

				@Override
				protected void initChannel(Channel channel) {
					channel.pipeline().addLast(new SimpleChannelInboundHandler<ByteBuf>() {

						@Override
						protected void channelRead0(ChannelHandlerContext ctx, ByteBuf bytes) {
							byte[] chunk = new byte[bytes.readableBytes()];
							bytes.readBytes(chunk);
							synchronized (received) {
								received.write(chunk, 0, chunk.length);
							}
						}

					});
				}

			})
			.connect(VsockAddress.of(VsockAddress.CID_LOCAL, port));
	}

	/**
	 * Connects to a port of this machine (CID 1).
	 * @param port the port
	 * @return the connection
	 * @throws InterruptedException if interrupted while connecting
	 */
	public static VsockRawClient open(long port) throws InterruptedException {
		return new VsockRawClient(port);
	}

	/**
	 * Connects to a port of this machine (CID 1), sends the bytes, and waits (two minutes at most)
	 * for the server to close the connection.
	 * @param port the port
	 * @param request the bytes to send
	 * @return every byte received
	 * @throws Exception if the connection failed or the server did not close it in time
	 */
	public static byte[] exchange(long port, byte[] request) throws Exception {
		try (VsockRawClient client = open(port)) {
			client.send(request);
			if (!client.awaitClosed(Duration.ofMinutes(2))) {
				throw new IllegalStateException("The server did not close the connection within two minutes");
			}
			return client.receivedBytes();
		}
	}

	/**
	 * Sends text and returns the answer as text.
	 * @param port the port
	 * @param request the request, in ASCII
	 * @return the answer
	 * @throws Exception if the connection failed or the server did not close it in time
	 */
	public static String exchange(long port, String request) throws Exception {
		return new String(exchange(port, request.getBytes(StandardCharsets.US_ASCII)), StandardCharsets.ISO_8859_1);
	}

	/**
	 * Sends bytes and waits until they are written.
	 * @param bytes the bytes
	 * @throws InterruptedException if interrupted while writing
	 */
	public void send(byte[] bytes) throws InterruptedException {
		this.channel.writeAndFlush(Unpooled.wrappedBuffer(bytes)).sync();
	}

	/**
	 * Sends text in ASCII and waits until it is written.
	 * @param text the text
	 * @throws InterruptedException if interrupted while writing
	 */
	public void send(String text) throws InterruptedException {
		send(text.getBytes(StandardCharsets.US_ASCII));
	}

	/**
	 * Shuts this end's output down, as {@code socat} does once its input ends: the server sees the
	 * end of the request stream, and may still answer.
	 * @throws InterruptedException if interrupted while shutting down
	 */
	public void halfClose() throws InterruptedException {
		((DuplexChannel) this.channel).shutdownOutput().sync();
	}

	/**
	 * Returns every byte received so far.
	 * @return the bytes
	 */
	public byte[] receivedBytes() {
		synchronized (this.received) {
			return this.received.toByteArray();
		}
	}

	/**
	 * Returns every byte received so far, as text.
	 * @return the text
	 */
	public String received() {
		return new String(receivedBytes(), StandardCharsets.ISO_8859_1);
	}

	/**
	 * Waits for the server to close the connection.
	 * @param timeout how long to wait at most
	 * @return whether it closed
	 * @throws InterruptedException if interrupted while waiting
	 */
	public boolean awaitClosed(Duration timeout) throws InterruptedException {
		return this.channel.closeFuture().await(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Returns whether the connection is still open.
	 * @return whether it is open
	 */
	public boolean isOpen() {
		return this.channel.isActive();
	}

	@Override
	public void close() throws InterruptedException {
		this.channel.close().sync();
	}

}
