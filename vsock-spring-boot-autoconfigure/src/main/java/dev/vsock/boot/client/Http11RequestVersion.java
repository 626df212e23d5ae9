package dev.vsock.boot.client;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Sends every request on a vsock connection as HTTP/1.1.
 *
 * <p>Reactor Netty's client takes a connection that is neither a {@code SocketChannel} nor a
 * {@code DomainSocketChannel} (nor an HTTP/2 stream) for HTTP/3, and writes requests that it
 * sends as one message (those without a body, such as every {@code GET}) with the version
 * {@code HTTP/3.0} in the request line ({@code HttpClientOperations.initHttpVersion}, Reactor
 * Netty 1.3). Reactor Netty's server lets that pass; Tomcat rightly answers 505. The vsock
 * channel is a stream socket that speaks HTTP/1.1, so this handler, between the HTTP codec and
 * Reactor Netty's bridge, puts the version right before the codec writes the request line.
 */
@Sharable
final class Http11RequestVersion extends ChannelOutboundHandlerAdapter {

	static final String NAME = "vsock.http11RequestVersion";

	static final Http11RequestVersion INSTANCE = new Http11RequestVersion();

	private Http11RequestVersion() {
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
		if (msg instanceof HttpRequest request && request.protocolVersion().majorVersion() != 1) {
			request.setProtocolVersion(HttpVersion.HTTP_1_1);
		}
		ctx.write(msg, promise);
	}

}
