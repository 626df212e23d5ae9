package dev.vsock.boot.reactor;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.netty.VsockChannel;
import dev.vsock.boot.web.VsockAdmission;

/**
 * Puts a vsock listener's {@link VsockAdmission} in front of each new Reactor Netty connection,
 * closing the refused ones before a byte is read, and counts the bytes of those it admits, first
 * in the pipeline (so TLS records are counted as sent on the wire).
 */
@Sharable
final class VsockConnectionGate extends ChannelDuplexHandler {

	private final VsockAdmission admission;

	/**
	 * Creates a gate.
	 * @param admission who may connect, and where to count
	 */
	VsockConnectionGate(VsockAdmission admission) {
		this.admission = admission;
	}

	/**
	 * Admits or closes a new connection; called as the channel is initialised.
	 * @param channel the accepted channel
	 */
	void admit(Channel channel) {
		// Over hybrid vsock's host side, a Unix socket, the peer is the VMM and has no CID.
		VsockAddress peer = (channel instanceof VsockChannel vsock) ? vsock.remoteAddress() : null;
		if (channel instanceof VsockChannel && peer == null) {
			// The peer is gone already (getpeername failed).
			channel.close();
			return;
		}
		if (!this.admission.admit(peer, channel.localAddress())) {
			channel.config().setAutoRead(false);
			channel.close();
			return;
		}
		channel.closeFuture().addListener((closed) -> this.admission.release());
		channel.pipeline().addFirst("vsock.gate", this);
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		this.admission.counters().received(bytes(msg));
		ctx.fireChannelRead(msg);
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		this.admission.counters().sent(bytes(msg));
		ctx.write(msg, promise);
	}

	private static long bytes(Object msg) {
		if (msg instanceof ByteBuf buffer) {
			return buffer.readableBytes();
		}
		if (msg instanceof ByteBufHolder holder) {
			return holder.content().readableBytes();
		}
		if (msg instanceof FileRegion region) {
			return region.count();
		}
		return 0;
	}

}
