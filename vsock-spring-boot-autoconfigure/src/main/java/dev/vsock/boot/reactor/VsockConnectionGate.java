package dev.vsock.boot.reactor;

import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import org.apache.commons.logging.LogFactory;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.VsockAllowedCids;
import dev.vsock.boot.netty.VsockChannel;
import dev.vsock.boot.web.VsockConnectionCounters;
import dev.vsock.boot.web.VsockRefusalLog;

/**
 * Admits the connections of a vsock listener whose peer CID is allowed while the listener has
 * room, closing the others before a byte is read; counts the open connections, and the bytes of
 * those it admits, first in the pipeline (so TLS records are counted as sent on the wire).
 */
@Sharable
final class VsockConnectionGate extends ChannelDuplexHandler {

	private final VsockRefusalLog refusals = new VsockRefusalLog(LogFactory.getLog(VsockConnectionGate.class));

	private final VsockAllowedCids allowedCids;

	private final int maxConnections;

	private final VsockConnectionCounters counters;

	private final AtomicInteger open = new AtomicInteger();

	/**
	 * Creates a gate.
	 * @param allowedCids the peer CIDs that may connect
	 * @param maxConnections how many connections may be open at once, 0 or less for no limit
	 * @param counters where to count
	 */
	VsockConnectionGate(VsockAllowedCids allowedCids, int maxConnections, VsockConnectionCounters counters) {
		this.allowedCids = allowedCids;
		this.maxConnections = maxConnections;
		this.counters = counters;
	}

	/**
	 * Returns how many admitted connections are open.
	 * @return the number of open connections
	 */
	int openConnections() {
		return this.open.get();
	}

	/**
	 * Admits or closes a new connection; called as the channel is initialised.
	 * @param channel the accepted channel
	 */
	void admit(Channel channel) {
		boolean vsockChannel = channel instanceof VsockChannel;
		VsockAddress peer = vsockChannel ? ((VsockChannel) channel).remoteAddress() : null;
		if (vsockChannel && peer == null) {
			// The peer is gone already (getpeername failed).
			channel.close();
			return;
		}
		// Hybrid vsock's host side is a Unix socket: the VMM does not tell the guest's CID, and
		// allowed-cids is refused at start-up there.
		Object from = (peer != null) ? peer : channel.remoteAddress();
		if (peer != null && !this.allowedCids.allows(peer.cid())) {
			this.counters.notAllowed();
			this.refusals.refused(() -> "Closed a vsock connection from " + peer
					+ ": its CID is not in the allowed CIDs (" + this.allowedCids + ")");
			refuse(channel);
			return;
		}
		if (this.open.incrementAndGet() > this.maxConnections && this.maxConnections > 0) {
			this.open.decrementAndGet();
			this.counters.overLimit();
			this.refusals.refused(() -> "Closed a vsock connection from " + from + ": " + this.maxConnections
					+ " connections are open (server.vsock.max-connections)");
			refuse(channel);
			return;
		}
		channel.closeFuture().addListener((closed) -> this.open.decrementAndGet());
		this.counters.accepted();
		channel.pipeline().addFirst("vsock.gate", this);
	}

	private static void refuse(Channel channel) {
		channel.config().setAutoRead(false);
		channel.close();
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		this.counters.received(bytes(msg));
		ctx.fireChannelRead(msg);
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		this.counters.sent(bytes(msg));
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
