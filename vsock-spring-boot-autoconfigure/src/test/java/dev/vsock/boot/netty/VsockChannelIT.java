package dev.vsock.boot.netty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.zip.CRC32;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.VsockBindException;
import dev.vsock.boot.VsockPeer;
import dev.vsock.boot.testsupport.RequiresVsockLoopback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The vsock channels end to end over the loopback transport (CID 1), inside the test guest.
 */
@RequiresVsockLoopback
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class VsockChannelIT {

	static EventLoopGroup group;

	final ChannelGroup accepted = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

	final CompletableFuture<VsockPeer> serverSeen = new CompletableFuture<>();

	/** The connections the server of {@link #startServer} accepted in all, closed or not. */
	final AtomicInteger acceptedInAll = new AtomicInteger();

	Channel server;

	@BeforeAll
	static void startGroup() {
		group = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
	}

	@AfterAll
	static void stopGroup() {
		group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
	}

	@AfterEach
	void closeServer() {
		if (this.server != null) {
			this.server.close().syncUninterruptibly();
		}
		this.accepted.close().syncUninterruptibly();
	}

	@Test
	@Tag("smoke")
	void echoesOverOneConnectionAndBothEndsKnowTheirPeer() throws Exception {
		VsockAddress listening = startEchoServer();
		Received received = new Received(5);
		Channel client = connect(listening, received);
		client.writeAndFlush(Unpooled.copiedBuffer(new byte[] { 'h', 'e', 'l', 'l', 'o' })).sync();
		assertThat(received.bytes.get(1, TimeUnit.MINUTES)).isEqualTo(crc("hello".getBytes()));

		VsockChannel vsockClient = (VsockChannel) client;
		VsockPeer seenByServer = this.serverSeen.get(1, TimeUnit.MINUTES);
		assertThat(seenByServer.cid()).isEqualTo(VsockAddress.CID_LOCAL);
		assertThat(seenByServer.port()).isEqualTo(vsockClient.localAddress().port());
		assertThat(seenByServer.localAddress().port()).isEqualTo(listening.port());
		assertThat(vsockClient.remoteAddress()).isEqualTo(VsockAddress.of(VsockAddress.CID_LOCAL, listening.port()));
		// The kernel auto-binds a connecting socket to CID any: its own view of its CID stays "any".
		assertThat(vsockClient.localAddress().isAnyCid()).isTrue();
		client.close().sync();
	}

	@Test
	void echoesOverAHundredConcurrentConnections() throws Exception {
		VsockAddress listening = startEchoServer();
		List<Channel> clients = new ArrayList<>();
		List<Received> answers = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			Received received = new Received(8);
			clients.add(connect(listening, received));
			answers.add(received);
		}
		for (int i = 0; i < 100; i++) {
			clients.get(i).writeAndFlush(Unpooled.copiedBuffer(String.format("conn%04d", i).getBytes()));
		}
		for (int i = 0; i < 100; i++) {
			assertThat(answers.get(i).bytes.get(1, TimeUnit.MINUTES)).as("connection %d", i)
				.isEqualTo(crc(String.format("conn%04d", i).getBytes()));
		}
		assertThat(this.accepted.size()).isEqualTo(100);
		for (Channel client : clients) {
			client.close().sync();
		}
	}

	@Test
	void carries64MebibytesEachWayUnchanged() throws Exception {
		VsockAddress listening = startEchoServer();
		int size = 64 * 1024 * 1024;
		byte[] chunk = new byte[64 * 1024];
		CRC32 sent = new CRC32();
		Received received = new Received(size);
		Channel client = connect(listening, received);
		for (int offset = 0; offset < size; offset += chunk.length) {
			for (int i = 0; i < chunk.length; i++) {
				chunk[i] = (byte) ((offset + i) * 31 + (offset + i) / 65536);
			}
			sent.update(chunk);
			client.writeAndFlush(Unpooled.copiedBuffer(chunk)).sync();
		}
		assertThat(received.bytes.get(3, TimeUnit.MINUTES)).isEqualTo(sent.getValue());
		client.close().sync();
	}

	@Test
	void aBufferSizeSetOnTheListenerIsInheritedByEveryAcceptedConnection() throws Exception {
		this.server = new ServerBootstrap().group(group)
			.channel(VsockServerChannel.class)
			.option(VsockChannelOption.BUFFER_SIZE, 1024 * 1024L)
			.childHandler(new ChannelInitializer<VsockChannel>() {

				@Override
				protected void initChannel(VsockChannel channel) {
					VsockChannelIT.this.accepted.add(channel);
					channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {

						@Override
						public void channelRead(ChannelHandlerContext ctx, Object msg) {
							ctx.writeAndFlush(msg);
						}

					});
				}

			})
			.bind(VsockAddress.of(VsockAddress.CID_ANY, 0))
			.syncUninterruptibly()
			.channel();
		VsockAddress listening = (VsockAddress) this.server.localAddress();
		int size = 16 * 1024 * 1024;
		Received received = new Received(size);
		Channel client = new Bootstrap().group(group)
			.channel(VsockChannel.class)
			.option(VsockChannelOption.BUFFER_SIZE, 2 * 1024 * 1024L)
			.handler(received)
			.connect(VsockAddress.of(VsockAddress.CID_LOCAL, listening.port()))
			.sync()
			.channel();
		byte[] bytes = new byte[size];
		for (int i = 0; i < size; i++) {
			bytes[i] = (byte) (i * 7 + i / 4096);
		}
		client.writeAndFlush(Unpooled.wrappedBuffer(bytes)).sync();
		assertThat(received.bytes.get(3, TimeUnit.MINUTES)).isEqualTo(crc(bytes));
		assertThat(List.copyOf(this.accepted)).singleElement()
			.satisfies((accepted) -> assertThat(((VsockChannel) accepted).config().getBufferSize())
				.as("the accepted connection's, inherited from the listener")
				.isEqualTo(1024 * 1024L));
		assertThat(((VsockChannel) client).config().getBufferSize()).as("the client's, kept once connected")
			.isEqualTo(2 * 1024 * 1024L);
		client.close().sync();
	}

	/**
	 * Connected without a Bootstrap, which would close it itself, as grpc-java connects: a channel
	 * whose connect failed used to stay open and registered, and its event loop spun a core on it.
	 * @throws Exception if the test fails
	 */
	@Test
	void aChannelWhoseConnectFailedIsClosed() throws Exception {
		VsockAddress listening = startEchoServer();
		this.server.close().syncUninterruptibly();
		Channel client = new Bootstrap().group(group)
			.channel(VsockChannel.class)
			.handler(new ChannelInboundHandlerAdapter())
			.register()
			.sync()
			.channel();
		ChannelFuture connect = client.connect(VsockAddress.of(VsockAddress.CID_LOCAL, listening.port())).await();
		assertThat(connect.isSuccess()).as("nothing listens on the port any more").isFalse();
		assertThat(client.closeFuture().await(1, TimeUnit.MINUTES)).as("the channel is closed").isTrue();
		assertThat(client.isOpen()).isFalse();
	}

	@Test
	void halfCloseLetsTheServerAnswerAfterTheClientStoppedSending() throws Exception {
		VsockAddress listening = startServer(() -> new ChannelInboundHandlerAdapter() {

			private int count;

			@Override
			public void channelRead(ChannelHandlerContext ctx, Object msg) {
				this.count += ((ByteBuf) msg).readableBytes();
				((ByteBuf) msg).release();
			}

			@Override
			public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
				if (event instanceof ChannelInputShutdownEvent) {
					ctx.writeAndFlush(Unpooled.copiedBuffer(("got " + this.count).getBytes()))
						.addListener((future) -> ctx.close());
				}
			}

		});
		Received received = new Received(-1);
		VsockChannel client = (VsockChannel) connect(listening, received);
		client.writeAndFlush(Unpooled.copiedBuffer(new byte[1000])).sync();
		client.shutdownOutput().sync();
		assertThat(client.isOutputShutdown()).isTrue();
		assertThat(received.closed.get(1, TimeUnit.MINUTES)).isEqualTo("got 1000");
	}

	@Test
	void portZeroListensOnARealPortThatClientsReach() throws Exception {
		VsockAddress listening = startEchoServer();
		assertThat(listening.isAnyPort()).isFalse();
		assertThat(listening.port()).isGreaterThan(1023L);
		Received received = new Received(2);
		connect(listening, received).writeAndFlush(Unpooled.copiedBuffer(new byte[] { 'o', 'k' }));
		assertThat(received.bytes.get(1, TimeUnit.MINUTES)).isEqualTo(crc("ok".getBytes()));
	}

	@Test
	void aTakenPortFailsClearly() throws Exception {
		VsockAddress listening = startEchoServer();
		assertThatExceptionOfType(VsockBindException.class)
			.isThrownBy(() -> VsockServerChannelTest.bind(group, VsockAddress.of(VsockAddress.CID_LOCAL, listening.port())))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(VsockBindException.Reason.IN_USE))
			.withMessageContaining("Vsock port " + listening.port() + " ");
	}

	@Test
	void closingTheServerEndsItsConnectedClients() throws Exception {
		VsockAddress listening = startEchoServer();
		List<Received> clients = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			Received received = new Received(-1);
			Channel client = connect(listening, received);
			client.writeAndFlush(Unpooled.copiedBuffer(new byte[] { 'x' })).sync();
			clients.add(received);
		}
		waitFor(() -> this.accepted.size() == 10);
		this.server.close().sync();
		this.accepted.close().sync();
		for (Received received : clients) {
			assertThat(received.closed.get(1, TimeUnit.MINUTES)).isEqualTo("x");
		}
	}

	@Test
	void tenThousandConnectionsLeaveNoFileDescriptorOpen() throws Exception {
		VsockAddress listening = startEchoServer();
		// Warm up: the first connections open the JVM's lazily created descriptors (epoll, jars).
		for (int i = 0; i < 50; i++) {
			connect(listening, new Received(-1)).close().sync();
		}
		waitForTheServerToHaveClosed(50);
		List<String> before = openFileDescriptors();
		for (int i = 0; i < 10_000; i++) {
			connect(listening, new Received(-1)).close().sync();
		}
		waitForTheServerToHaveClosed(10_050);
		List<String> after = openFileDescriptors();
		assertThat(after).as(() -> "open descriptors after, against before " + before).hasSameSizeAs(before);
	}

	/**
	 * Waits until the server has accepted {@code connections} in all and closed every one. A client's
	 * close completes before the server has necessarily accepted its connection (the server accepts on
	 * its own event loop, and only then does the connection join {@link #accepted}), so an empty group
	 * alone can be seen while the last connection's descriptor is open on the server's side.
	 */
	private void waitForTheServerToHaveClosed(int connections) throws InterruptedException {
		waitFor(() -> this.acceptedInAll.get() == connections && this.accepted.isEmpty());
	}

	private VsockAddress startEchoServer() {
		return startServer(() -> new ChannelInboundHandlerAdapter() {

			@Override
			public void channelRead(ChannelHandlerContext ctx, Object msg) {
				ctx.write(msg);
			}

			@Override
			public void channelReadComplete(ChannelHandlerContext ctx) {
				ctx.flush();
			}

			@Override
			public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
				if (event instanceof ChannelInputShutdownEvent) {
					ctx.close();
				}
			}

		});
	}

	private VsockAddress startServer(Supplier<ChannelHandler> handlers) {
		this.server = new ServerBootstrap().group(group)
			.channel(VsockServerChannel.class)
			.childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
			.childHandler(new ChannelInitializer<VsockChannel>() {

				@Override
				protected void initChannel(VsockChannel channel) {
					VsockChannelIT.this.accepted.add(channel);
					VsockChannelIT.this.acceptedInAll.incrementAndGet();
					VsockChannelIT.this.serverSeen.complete(channel.peer());
					channel.pipeline().addLast(handlers.get());
				}

			})
			.bind(VsockAddress.of(VsockAddress.CID_ANY, 0))
			.syncUninterruptibly()
			.channel();
		return (VsockAddress) this.server.localAddress();
	}

	private Channel connect(VsockAddress target, Received received) throws InterruptedException {
		return new Bootstrap().group(group)
			.channel(VsockChannel.class)
			.handler(received)
			.connect(VsockAddress.of(VsockAddress.CID_LOCAL, target.port()))
			.sync()
			.channel();
	}

	private static long crc(byte[] bytes) {
		CRC32 crc = new CRC32();
		crc.update(bytes);
		return crc.getValue();
	}

	/** What each of this process's open descriptors refers to, read from {@code /proc/self/fd}. */
	private static List<String> openFileDescriptors() throws Exception {
		try (var entries = Files.list(Path.of("/proc/self/fd"))) {
			return entries.map(VsockChannelIT::describe).sorted().toList();
		}
	}

	private static String describe(Path descriptor) {
		try {
			return descriptor.getFileName() + " -> " + Files.readSymbolicLink(descriptor);
		}
		catch (IOException ex) {
			// Closed between the listing and the read (the listing's own descriptor).
			return descriptor.getFileName() + " (closed)";
		}
	}

	private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("waited a minute for the condition").isLessThan(deadline);
			Thread.sleep(10);
		}
	}

	/**
	 * Collects what a client receives: the CRC once the expected count has arrived, and the whole
	 * text once the server closes.
	 */
	static final class Received extends ChannelInboundHandlerAdapter {

		final CompletableFuture<Long> bytes = new CompletableFuture<>();

		final CompletableFuture<String> closed = new CompletableFuture<>();

		private final long expected;

		private final CRC32 crc = new CRC32();

		private final StringBuilder text = new StringBuilder();

		private long count;

		Received(long expected) {
			this.expected = expected;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			ByteBuf buffer = (ByteBuf) msg;
			byte[] bytes = new byte[buffer.readableBytes()];
			buffer.readBytes(bytes);
			buffer.release();
			this.crc.update(bytes);
			this.count += bytes.length;
			if (this.text.length() < 1024) {
				this.text.append(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1));
			}
			if (this.count == this.expected) {
				this.bytes.complete(this.crc.getValue());
			}
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			this.closed.complete(this.text.toString());
			this.bytes.completeExceptionally(new IllegalStateException("closed after " + this.count + " bytes"));
		}

	}

}
