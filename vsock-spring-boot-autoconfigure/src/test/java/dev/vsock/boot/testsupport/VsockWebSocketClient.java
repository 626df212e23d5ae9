package dev.vsock.boot.testsupport;

import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.netty.VsockChannel;

/**
 * A WebSocket client over one vsock connection, for end-to-end tests: it upgrades, then sends
 * text frames and hands back the text frames that come back.
 */
public final class VsockWebSocketClient implements AutoCloseable {

	private final Channel channel;

	private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

	private final CompletableFuture<Void> handshake = new CompletableFuture<>();

	private VsockWebSocketClient(VsockAddress target, String path) throws Exception {
		this.channel = new Bootstrap().group(VsockHttpClient.group).channel(VsockChannel.class).handler(new ChannelInitializer<>() {

			@Override
			protected void initChannel(Channel channel) {
				channel.pipeline()
					.addLast(new HttpClientCodec(), new HttpObjectAggregator(65536),
							new WebSocketClientProtocolHandler(WebSocketClientHandshakerFactory.newHandshaker(
									URI.create("ws://vsock" + path), WebSocketVersion.V13, null, false,
									new DefaultHttpHeaders())),
							new SimpleChannelInboundHandler<TextWebSocketFrame>() {

								@Override
								protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
									VsockWebSocketClient.this.received.add(frame.text());
								}

								@Override
								public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
									if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
										VsockWebSocketClient.this.handshake.complete(null);
									}
									ctx.fireUserEventTriggered(event);
								}

								@Override
								public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
									VsockWebSocketClient.this.handshake.completeExceptionally(cause);
									ctx.close();
								}

							});
			}

		}).connect(target).sync().channel();
		this.handshake.get(2, TimeUnit.MINUTES);
	}

	/**
	 * Connects over vsock loopback (CID 1) and upgrades to WebSocket.
	 * @param port the server's vsock port
	 * @param path the WebSocket endpoint's path
	 * @return the client, once the handshake is done
	 * @throws Exception if the connection or the handshake failed
	 */
	public static VsockWebSocketClient connectLocal(long port, String path) throws Exception {
		return new VsockWebSocketClient(VsockAddress.of(VsockAddress.CID_LOCAL, port), path);
	}

	/**
	 * Sends a text frame and waits (a minute at most) for the next text frame.
	 * @param text the text to send
	 * @return the text that came back, or {@code null} if none came
	 * @throws InterruptedException if interrupted while waiting
	 */
	public String exchange(String text) throws InterruptedException {
		this.channel.writeAndFlush(new TextWebSocketFrame(text));
		return this.received.poll(1, TimeUnit.MINUTES);
	}

	@Override
	public void close() throws InterruptedException {
		this.channel.close().sync();
	}

}
