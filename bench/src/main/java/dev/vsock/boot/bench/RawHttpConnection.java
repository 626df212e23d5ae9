package dev.vsock.boot.bench;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.netty.VsockChannel;

/**
 * One HTTP/1.1 keep-alive connection over vsock or TCP (by the address) with nothing but Netty's codec on it, so that
 * holding hundreds of them open costs the client little and each is exactly one server
 * connection.
 */
final class RawHttpConnection implements AutoCloseable {

	private final Channel channel;

	private volatile CompletableFuture<String> response = new CompletableFuture<>();

	private RawHttpConnection(EventLoopGroup group, SocketAddress target) throws InterruptedException {
		Class<? extends Channel> type = (target instanceof VsockAddress) ? VsockChannel.class : EpollSocketChannel.class;
		this.channel = new Bootstrap().group(group).channel(type).handler(new ChannelInitializer<Channel>() {
			@Override
			protected void initChannel(Channel channel) {
				channel.pipeline()
					.addLast(new HttpClientCodec(), new HttpObjectAggregator(1024 * 1024),
							new SimpleChannelInboundHandler<FullHttpResponse>() {
								@Override
								protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse message) {
									RawHttpConnection.this.response.complete(message.content().toString(StandardCharsets.UTF_8));
								}

								@Override
								public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
									RawHttpConnection.this.response.completeExceptionally(cause);
								}
							});
			}
		}).connect(target).sync().channel();
	}

	static RawHttpConnection open(EventLoopGroup group, SocketAddress target) throws InterruptedException {
		return new RawHttpConnection(group, target);
	}

	/**
	 * Sends a {@code GET} and waits for its response body.
	 * @param path the path
	 * @return the body
	 */
	String get(String path) throws Exception {
		this.response = new CompletableFuture<>();
		DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
		request.headers().set(HttpHeaderNames.HOST, "localhost");
		this.channel.writeAndFlush(request);
		return this.response.get(2, TimeUnit.MINUTES);
	}

	@Override
	public void close() {
		this.channel.close().syncUninterruptibly();
	}

}
