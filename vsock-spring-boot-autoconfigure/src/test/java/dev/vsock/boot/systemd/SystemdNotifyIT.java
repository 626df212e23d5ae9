package dev.vsock.boot.systemd;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.autoconfigure.systemd.VsockSystemdAutoConfiguration;
import dev.vsock.boot.netty.VsockChannel;
import dev.vsock.boot.netty.VsockServerChannel;
import dev.vsock.boot.testsupport.RequiresVsockLoopback;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readiness notification over vsock, inside the test guest: a listener plays the VMM on the host
 * that waits for {@code NOTIFY_SOCKET=vsock-stream:CID:PORT}, here over loopback (CID 1). Each
 * message is one connection, read to its end.
 */
@RequiresVsockLoopback
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SystemdNotifyIT {

	static EventLoopGroup group;

	static Channel host;

	static final BlockingQueue<String> messages = new LinkedBlockingQueue<>();

	@BeforeAll
	static void listenAsTheHost() {
		group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
		host = new ServerBootstrap().group(group)
			.channel(VsockServerChannel.class)
			.childHandler(new ChannelInitializer<VsockChannel>() {

				@Override
				protected void initChannel(VsockChannel channel) {
					channel.pipeline().addLast(new Receiver());
				}

			})
			.bind(VsockAddress.of(VsockAddress.CID_ANY, 0))
			.syncUninterruptibly()
			.channel();
	}

	@AfterAll
	static void stop() {
		host.close().syncUninterruptibly();
		group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
	}

	@Test
	void tellsTheHostReadyThenStoppingOverVsockStreams() throws Exception {
		long port = ((VsockAddress) host.localAddress()).port();
		try (ConfigurableApplicationContext context = application("NOTIFY_SOCKET=vsock-stream:1:" + port).run()) {
			assertThat(messages.poll(1, TimeUnit.MINUTES)).as("one connection, from CID 1, read to its end")
				.isEqualTo("1 READY=1\nSTATUS=Accepting traffic\n");
		}
		assertThat(messages.poll(1, TimeUnit.MINUTES)).isEqualTo("1 STOPPING=1\nSTATUS=Stopping\n");
	}

	@Test
	void aHostThatDoesNotListenLeavesTheApplicationRunning() {
		// A port next to the host's, where nothing listens: vsock resets the connection at once.
		long port = ((VsockAddress) host.localAddress()).port() + 1;
		try (ConfigurableApplicationContext context = application("NOTIFY_SOCKET=vsock:local:" + port).run()) {
			assertThat(context.isRunning()).isTrue();
		}
		assertThat(messages).isEmpty();
	}

	/**
	 * Reads one connection's message to its end, as a VMM's notify listener does.
	 */
	static final class Receiver extends ChannelInboundHandlerAdapter {

		private final StringBuilder message = new StringBuilder();

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			ByteBuf bytes = (ByteBuf) msg;
			this.message.append(bytes.toString(StandardCharsets.UTF_8));
			bytes.release();
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			messages.add(((VsockChannel) ctx.channel()).peer().cid() + " " + this.message);
		}

	}

	private static SpringApplicationBuilder application(String... properties) {
		return new SpringApplicationBuilder(PlainApplication.class).web(WebApplicationType.NONE)
			.properties(properties);
	}

	/** Only what notifies: in the guest, a context with every auto-configuration takes 15 s. */
	@SpringBootConfiguration
	@ImportAutoConfiguration(VsockSystemdAutoConfiguration.class)
	static class PlainApplication {

	}

}
