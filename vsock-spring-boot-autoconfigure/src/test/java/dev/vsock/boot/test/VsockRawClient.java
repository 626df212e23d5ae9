package dev.vsock.boot.test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.netty.VsockChannel;

/**
 * Sends bytes exactly as given over vsock loopback and collects every byte the server sends back
 * until it closes the connection: for what an HTTP client library would not send (pipelined
 * requests, hand-made chunks, half a request) and for exact byte counts.
 */
public final class VsockRawClient {

	private VsockRawClient() {
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
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		Channel channel = new Bootstrap().group(VsockHttpClient.group)
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
			.connect(VsockAddress.of(VsockAddress.CID_LOCAL, port))
			.sync()
			.channel();
		channel.writeAndFlush(Unpooled.wrappedBuffer(request)).sync();
		if (!channel.closeFuture().await(2, TimeUnit.MINUTES)) {
			channel.close();
			throw new IllegalStateException("The server did not close the connection within two minutes");
		}
		synchronized (received) {
			return received.toByteArray();
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

}
