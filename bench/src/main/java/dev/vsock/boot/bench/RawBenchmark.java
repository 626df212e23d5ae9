package dev.vsock.boot.bench;

import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.ReferenceCountUtil;

import dev.vsock.boot.bench.Results.RawResult;

/**
 * The limit of a transport without HTTP: one-way bulk throughput with large writes, and the
 * round-trip time of a 1-byte ping-pong, over plain Netty channels.
 */
final class RawBenchmark {

	private static final int CHUNK = 256 * 1024;

	private final EventLoopGroup group;

	private final BenchConfig config;

	RawBenchmark(EventLoopGroup group, BenchConfig config) {
		this.group = group;
		this.config = config;
	}

	RawResult run(RawTransport transport) throws Exception {
		// A first, smaller pass unmeasured: the JIT has compiled the channel's read and write paths
		// before the timed one starts, as it has for the HTTP cells after their warm-up.
		long warmupBytes = Math.max(1, this.config.bulkBytes() / 8);
		measure(transport, () -> new BulkSink(warmupBytes), (done) -> new BulkSource(warmupBytes, done));
		long bulkNanos = measure(transport, () -> new BulkSink(this.config.bulkBytes()),
				(done) -> new BulkSource(this.config.bulkBytes(), done));
		Histogram latencies = new ConcurrentHistogram(3);
		measure(transport, Echo::new, (done) -> new PingPong(this.config.pingRounds() / 5, this.config.pingRounds(),
				latencies, done));
		double seconds = bulkNanos / 1e9;
		return new RawResult(transport.id(), this.config.bulkBytes(), seconds,
				this.config.bulkBytes() / (1024.0 * 1024.0) / seconds, (int) latencies.getTotalCount(),
				latencies.getValueAtPercentile(50) / 1e3, latencies.getValueAtPercentile(99) / 1e3);
	}

	/**
	 * Times the bulk transfer inside a round of the matrix, after an unmeasured lead of
	 * {@link BenchConfig#rawLeadBytes()} on a connection of its own (none when zero), as each HTTP
	 * cell has its warm-up.
	 * @param transport the transport
	 * @return MiB per second
	 */
	double bulk(RawTransport transport) throws Exception {
		long lead = this.config.rawLeadBytes();
		if (lead > 0) {
			transfer(transport, lead);
		}
		return transfer(transport, this.config.bulkBytes());
	}

	/**
	 * Times one bulk transfer on a connection of its own, without a lead.
	 * @param transport the transport
	 * @param bytes the bytes sent
	 * @return MiB per second
	 */
	double transfer(RawTransport transport, long bytes) throws Exception {
		long nanos = measure(transport, () -> new BulkSink(bytes), (done) -> new BulkSource(bytes, done));
		return bytes / (1024.0 * 1024.0) / (nanos / 1e9);
	}

	/**
	 * Starts a server, connects one client and waits for the client to report its figure.
	 */
	private long measure(RawTransport transport, Supplier<ChannelHandler> serverHandler,
			Function<CompletableFuture<Long>, ChannelHandler> clientHandler) throws Exception {
		List<String> problems = new CopyOnWriteArrayList<>();
		Channel server = transport.configure(new ServerBootstrap()).group(this.group)
			.channel(transport.serverChannel())
			.childHandler(new ChannelInitializer<Channel>() {
				@Override
				protected void initChannel(Channel channel) {
					String problem = transport.checkBufferSize(channel);
					if (problem != null) {
						problems.add(problem);
					}
					channel.pipeline().addLast(serverHandler.get());
				}
			})
			.bind(transport.bindAddress())
			.sync()
			.channel();
		try {
			CompletableFuture<Long> done = new CompletableFuture<>();
			SocketAddress target = transport.connectAddress(server.localAddress());
			Channel client = transport.configure(new Bootstrap()).group(this.group)
				.channel(transport.clientChannel())
				// A few chunks in flight keep the socket busy while the next write is prepared.
				.option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(CHUNK, 4 * CHUNK))
				.handler(clientHandler.apply(done))
				.connect(target)
				.sync()
				.channel();
			String problem = transport.checkBufferSize(client);
			if (problem != null) {
				problems.add(problem);
			}
			try {
				long nanos = done.get(10, TimeUnit.MINUTES);
				if (!problems.isEmpty()) {
					throw new IllegalStateException("The socket options of this transport did not take effect: " + problems);
				}
				return nanos;
			}
			finally {
				client.close().sync();
			}
		}
		finally {
			server.close().sync();
		}
	}

	/** Counts what arrives and answers one byte once everything has. */
	private static final class BulkSink extends ChannelInboundHandlerAdapter {

		private final long expected;

		private long received;

		BulkSink(long expected) {
			this.expected = expected;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			this.received += ((ByteBuf) msg).readableBytes();
			ReferenceCountUtil.release(msg);
			if (this.received >= this.expected) {
				ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] { 1 }));
			}
		}

	}

	/** Writes the bulk in large chunks as fast as the channel takes them, and times it to the answer. */
	static final class BulkSource extends ChannelInboundHandlerAdapter {

		private final long total;

		private final CompletableFuture<Long> done;

		/** What every write sends a slice of; released when the channel is gone. */
		private final ByteBuf chunk = Unpooled.directBuffer(CHUNK).writeZero(CHUNK);

		private long written;

		private long start;

		BulkSource(long total, CompletableFuture<Long> done) {
			this.total = total;
			this.done = done;
		}

		@Override
		public void channelActive(ChannelHandlerContext ctx) {
			this.start = System.nanoTime();
			writeWhileWritable(ctx);
		}

		@Override
		public void channelWritabilityChanged(ChannelHandlerContext ctx) {
			writeWhileWritable(ctx);
		}

		private void writeWhileWritable(ChannelHandlerContext ctx) {
			while (this.written < this.total && ctx.channel().isWritable()) {
				int length = (int) Math.min(CHUNK, this.total - this.written);
				// Counted before it is written: a write that fills the channel's buffer fires
				// channelWritabilityChanged, which comes back here before this call goes on.
				this.written += length;
				ctx.write(this.chunk.retainedSlice(0, length));
			}
			ctx.flush();
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			ReferenceCountUtil.release(msg);
			this.done.complete(System.nanoTime() - this.start);
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			this.done.completeExceptionally(cause);
		}

		@Override
		public void handlerRemoved(ChannelHandlerContext ctx) {
			this.chunk.release();
		}

	}

	/** Sends back whatever arrives. */
	private static final class Echo extends ChannelInboundHandlerAdapter {

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			ctx.writeAndFlush(msg);
		}

	}

	/** Sends one byte, waits for it to come back, and again, recording each round after the warm-up. */
	private static final class PingPong extends ChannelInboundHandlerAdapter {

		private final int warmup;

		private final int rounds;

		private final Histogram latencies;

		private final CompletableFuture<Long> done;

		private int round;

		private long sent;

		PingPong(int warmup, int rounds, Histogram latencies, CompletableFuture<Long> done) {
			this.warmup = warmup;
			this.rounds = rounds;
			this.latencies = latencies;
			this.done = done;
		}

		@Override
		public void channelActive(ChannelHandlerContext ctx) {
			ping(ctx);
		}

		private void ping(ChannelHandlerContext ctx) {
			this.sent = System.nanoTime();
			ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] { 1 }));
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			long now = System.nanoTime();
			ReferenceCountUtil.release(msg);
			if (this.round++ >= this.warmup) {
				this.latencies.recordValue(now - this.sent);
			}
			if (this.round < this.warmup + this.rounds) {
				ping(ctx);
			}
			else {
				this.done.complete(0L);
			}
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			this.done.completeExceptionally(cause);
		}

	}

}
