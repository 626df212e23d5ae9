package dev.vsock.boot.reactor;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Lets a client that half-closes after its request (as {@code socat} does when its input ends)
 * have its answer: the connection allows half-closure, and once the client's side is shut, the
 * connection closes when the requests read so far are answered, at once when none is waiting or
 * when the input ended in the middle of a request (its body can never be complete, and the
 * application would wait for it for ever). Reactor Netty would close it at the end of the input,
 * before a slow answer is written. Sits after the HTTP codec, where requests, the ends of their
 * bodies and the ends of responses are seen.
 */
final class VsockHalfCloseHandler extends ChannelDuplexHandler {

	/** The handler's name in the pipeline. */
	static final String NAME = "vsock.halfClose";

	private int unanswered;

	private boolean inputShutdown;

	private boolean readingRequest;

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof HttpRequest) {
			this.unanswered++;
			this.readingRequest = true;
		}
		if (msg instanceof LastHttpContent) {
			this.readingRequest = false;
		}
		ctx.fireChannelRead(msg);
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		if (msg instanceof LastHttpContent) {
			ctx.write(msg, promise.unvoid()).addListener((ChannelFutureListener) (written) -> answered(ctx));
			return;
		}
		ctx.write(msg, promise);
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
		if (event instanceof ChannelInputShutdownEvent) {
			this.inputShutdown = true;
			if (this.readingRequest) {
				ctx.close();
				return;
			}
			closeIfAnswered(ctx);
			return;
		}
		if (event instanceof ChannelInputShutdownReadComplete) {
			return;
		}
		ctx.fireUserEventTriggered(event);
	}

	private void answered(ChannelHandlerContext ctx) {
		this.unanswered = Math.max(0, this.unanswered - 1);
		closeIfAnswered(ctx);
	}

	private void closeIfAnswered(ChannelHandlerContext ctx) {
		if (this.inputShutdown && this.unanswered == 0) {
			ctx.close();
		}
	}

}
