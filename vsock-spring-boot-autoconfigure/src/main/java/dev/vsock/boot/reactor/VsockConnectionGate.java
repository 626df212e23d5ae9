package dev.vsock.boot.reactor;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.VsockAllowedCids;
import dev.vsock.boot.netty.VsockChannel;
import dev.vsock.boot.web.VsockConnectionCounters;

/**
 * Admits the connections of a vsock listener whose peer CID is allowed, closing the others before
 * a byte is read, and counts the bytes of those it admits, first in the pipeline (so TLS records
 * are counted as sent on the wire).
 */
@Sharable
final class VsockConnectionGate extends ChannelDuplexHandler {

	private static final Log logger = LogFactory.getLog(VsockConnectionGate.class);

	private final VsockAllowedCids allowedCids;

	private final VsockConnectionCounters counters;

	VsockConnectionGate(VsockAllowedCids allowedCids, VsockConnectionCounters counters) {
		this.allowedCids = allowedCids;
		this.counters = counters;
	}

	/**
	 * Admits or closes a new connection; called as the channel is initialised.
	 * @param channel the accepted channel
	 */
	void admit(Channel channel) {
		VsockAddress peer = (channel instanceof VsockChannel vsock) ? vsock.remoteAddress() : null;
		if (peer == null) {
			// The peer is gone already (getpeername failed).
			channel.close();
			return;
		}
		if (!this.allowedCids.allows(peer.cid())) {
			this.counters.notAllowed();
			if (logger.isDebugEnabled()) {
				logger.debug("Closed a vsock connection from " + peer + ": its CID is not in the allowed CIDs ("
						+ this.allowedCids + ")");
			}
			channel.config().setAutoRead(false);
			channel.close();
			return;
		}
		this.counters.accepted();
		channel.pipeline().addFirst("vsock.gate", this);
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
