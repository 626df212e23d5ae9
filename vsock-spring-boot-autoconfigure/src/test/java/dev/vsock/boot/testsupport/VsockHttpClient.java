package dev.vsock.boot.testsupport;

import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import org.jspecify.annotations.Nullable;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.netty.VsockChannel;

/**
 * A plain HTTP/1.1 client over one vsock connection, for end-to-end tests: it sends exactly the
 * request it is given and hands back the whole response, keeping the connection for the next.
 */
public final class VsockHttpClient implements AutoCloseable {

	/** The event loop of every test client. */
	static final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());

	private final Channel channel;

	private final BlockingQueue<Object> responses = new LinkedBlockingQueue<>();

	private VsockHttpClient(VsockAddress target, @Nullable SslContext tls) throws InterruptedException {
		this.channel = new Bootstrap().group(group).channel(VsockChannel.class).handler(new ChannelInitializer<>() {

			@Override
			protected void initChannel(Channel channel) {
				if (tls != null) {
					SslHandler handler = tls.newHandler(channel.alloc());
					// Netty's 10 s default is too short for a first handshake in the emulated guest,
					// where the JVM has not compiled the crypto code yet.
					handler.setHandshakeTimeout(2, TimeUnit.MINUTES);
					channel.pipeline().addLast(handler);
				}
				channel.pipeline()
					.addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024 * 1024),
							new SimpleChannelInboundHandler<FullHttpResponse>() {

								@Override
								protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
									VsockHttpClient.this.responses.add(response.retainedDuplicate());
								}

								@Override
								public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
									VsockHttpClient.this.responses.add(cause);
									ctx.close();
								}

								@Override
								public void channelInactive(ChannelHandlerContext ctx) {
									VsockHttpClient.this.responses
										.add(new ClosedChannelException());
								}

							});
			}

		}).connect(target).sync().channel();
	}

	/**
	 * Connects to a port of this machine over vsock loopback (CID 1).
	 * @param port the port
	 * @return the connected client
	 * @throws InterruptedException if interrupted while connecting
	 */
	public static VsockHttpClient connectLocal(long port) throws InterruptedException {
		return new VsockHttpClient(VsockAddress.of(VsockAddress.CID_LOCAL, port), null);
	}

	/**
	 * Connects to a port of this machine over vsock loopback (CID 1) and speaks TLS.
	 * @param port the port
	 * @param tls the client's TLS context
	 * @return the connected client
	 * @throws InterruptedException if interrupted while connecting
	 */
	public static VsockHttpClient connectLocal(long port, SslContext tls) throws InterruptedException {
		return new VsockHttpClient(VsockAddress.of(VsockAddress.CID_LOCAL, port), tls);
	}

	/**
	 * Sends a GET request and waits for the whole response.
	 * @param path the path
	 * @return the response
	 * @throws Exception if no response came
	 */
	public FullHttpResponse get(String path) throws Exception {
		return exchange(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path));
	}

	/**
	 * Sends a POST request with a body and waits for the whole response.
	 * @param path the path
	 * @param contentType the body's media type
	 * @param body the body
	 * @return the response
	 * @throws Exception if no response came
	 */
	public FullHttpResponse post(String path, String contentType, byte[] body) throws Exception {
		FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path,
				Unpooled.wrappedBuffer(body));
		request.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
		return exchange(request);
	}

	/**
	 * Sends a request and waits (two minutes at most) for the whole response.
	 * @param request the request; Host and Content-Length are added
	 * @return the response
	 * @throws Exception if the connection failed or no response came
	 */
	public FullHttpResponse exchange(FullHttpRequest request) throws Exception {
		request.headers().set(HttpHeaderNames.HOST, "vsock");
		HttpUtil.setContentLength(request, request.content().readableBytes());
		this.channel.writeAndFlush(request).sync();
		Object response = this.responses.poll(2, TimeUnit.MINUTES);
		if (response instanceof ClosedChannelException) {
			throw new IllegalStateException("The server closed the connection before a response to "
					+ request.method() + " " + request.uri());
		}
		if (response instanceof Throwable failure) {
			throw new IllegalStateException("The exchange failed: " + failure, failure);
		}
		if (response == null) {
			throw new IllegalStateException("No response within two minutes to " + request.method() + " " + request.uri());
		}
		return (FullHttpResponse) response;
	}

	/**
	 * Returns this end's address.
	 * @return the local address: CID any (the kernel's view of a connecting socket) and the port
	 */
	public VsockAddress localAddress() {
		return (VsockAddress) this.channel.localAddress();
	}

	/**
	 * Returns whether the server has not closed the connection.
	 * @return whether the connection is open
	 */
	public boolean isOpen() {
		return this.channel.isActive();
	}

	/**
	 * Returns a response's body as text.
	 * @param response the response
	 * @return the body
	 */
	public static String text(FullHttpResponse response) {
		ByteBuf content = response.content();
		return content.toString(StandardCharsets.UTF_8);
	}

	@Override
	public void close() throws InterruptedException {
		this.channel.close().sync();
	}

}
