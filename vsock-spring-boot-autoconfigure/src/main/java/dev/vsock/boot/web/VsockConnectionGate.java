package dev.vsock.boot.web;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.netty.VsockChannel;

/**
 * Puts a vsock listener's {@link VsockAdmission} in front of each new Netty connection, on every
 * server built on Netty (Reactor Netty, gRPC), closing the refused ones before a byte is read,
 * and counts the bytes of those it admits, first in the pipeline (so TLS records are counted as
 * sent on the wire).
 */
@Sharable
public final class VsockConnectionGate extends ChannelDuplexHandler {

	private final VsockAdmission admission;

	/**
	 * Creates a gate.
	 * @param admission who may connect, and where to count
	 */
	public VsockConnectionGate(VsockAdmission admission) {
		this.admission = admission;
	}

	/**
	 * Admits or closes a new connection; called as the channel is initialised, or by the
	 * {@linkplain #acceptor() acceptor} before it is registered.
	 * @param channel the accepted channel
	 * @return whether the connection was admitted
	 */
	public boolean admit(Channel channel) {
		// Over hybrid vsock's host side, a Unix socket, the peer is the VMM and has no CID.
		VsockAddress peer = (channel instanceof VsockChannel vsock) ? vsock.remoteAddress() : null;
		// A null peer over AF_VSOCK: the peer is gone already (getpeername failed).
		if ((channel instanceof VsockChannel && peer == null) || !this.admission.admit(peer, channel.localAddress())) {
			close(channel);
			return false;
		}
		channel.closeFuture().addListener((closed) -> this.admission.release());
		channel.pipeline().addFirst("vsock.gate", this);
		return true;
	}

	private static void close(Channel channel) {
		channel.config().setAutoRead(false);
		if (channel.isRegistered()) {
			channel.close();
		}
		else {
			// As Netty's ServerBootstrap closes a child it could not register.
			channel.unsafe().closeForcibly();
		}
	}

	/**
	 * Returns a handler for a server channel's own pipeline that admits each accepted connection
	 * before the server registers it, for servers that give no hook into a connection's
	 * initialisation (gRPC's Netty server): added at the head of the server channel's pipeline,
	 * it drops the refused connections and passes the admitted ones on.
	 * @return the handler
	 */
	public ChannelInboundHandler acceptor() {
		return new Acceptor(this);
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

	@Sharable
	private static final class Acceptor extends ChannelInboundHandlerAdapter {

		private final VsockConnectionGate gate;

		private Acceptor(VsockConnectionGate gate) {
			this.gate = gate;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (!(msg instanceof Channel child) || this.gate.admit(child)) {
				ctx.fireChannelRead(msg);
			}
		}

	}

}
