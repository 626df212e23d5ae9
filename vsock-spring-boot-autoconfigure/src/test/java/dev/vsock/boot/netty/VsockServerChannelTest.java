package dev.vsock.boot.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.VsockBindException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Binds and listens only: safe on a build machine, where a vsock connect would leave the machine.
 */
class VsockServerChannelTest {

	private static final long MIB = 1024 * 1024;

	/** What the kernel gives every AF_VSOCK socket: 256 KiB. */
	private static final long KERNEL_DEFAULT = 256 * 1024;

	static EventLoopGroup group;

	@BeforeAll
	static void startGroup() {
		group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
	}

	@AfterAll
	static void stopGroup() {
		group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
	}

	@Test
	void portZeroListensOnAPortTheKernelPicked() {
		Channel server = bind(VsockAddress.of(VsockAddress.CID_ANY, 0));
		try {
			VsockAddress address = (VsockAddress) server.localAddress();
			assertThat(address.isAnyPort()).isFalse();
			assertThat(address.port()).isGreaterThan(1023L);
			assertThat(address.isAnyCid()).isTrue();
			assertThat(server.isActive()).isTrue();
		}
		finally {
			server.close().syncUninterruptibly();
		}
	}

	@Test
	void aTakenPortFailsNamingThePortAndWhatToDo() {
		Channel first = bind(VsockAddress.of(VsockAddress.CID_ANY, 0));
		try {
			VsockAddress taken = (VsockAddress) first.localAddress();
			assertThatExceptionOfType(VsockBindException.class).isThrownBy(() -> bind(taken))
				.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(VsockBindException.Reason.IN_USE))
				.satisfies((ex) -> assertThat(ex.getAddress()).isEqualTo(taken))
				.withMessageContaining("Vsock port " + taken.port())
				.withMessageContaining("already in use")
				.withMessageContaining("server.vsock.port");
		}
		finally {
			first.close().syncUninterruptibly();
		}
	}

	@Test
	void closingReleasesThePort() {
		Channel first = bind(VsockAddress.of(VsockAddress.CID_ANY, 0));
		VsockAddress address = (VsockAddress) first.localAddress();
		first.close().syncUninterruptibly();
		Channel second = bind(address);
		try {
			assertThat(second.localAddress()).isEqualTo(address);
		}
		finally {
			second.close().syncUninterruptibly();
		}
	}

	@Test
	void tcpOnlyOptionsAreAcceptedAndTheBacklogIsKept() {
		VsockServerChannel channel = new VsockServerChannel();
		try {
			assertThat(channel.config().setOption(ChannelOption.SO_REUSEADDR, true)).isTrue();
			assertThat(channel.config().setOption(ChannelOption.TCP_NODELAY, true)).isTrue();
			assertThat(channel.config().setOption(ChannelOption.SO_BACKLOG, 7)).isTrue();
			assertThat(channel.config().getOption(ChannelOption.SO_BACKLOG)).isEqualTo(7);
		}
		finally {
			channel.unsafe().closeForcibly();
		}
	}

	@Test
	void clientChannelConfigAcceptsTcpOptionsAndHalfClosure() {
		VsockChannel channel = new VsockChannel();
		try {
			assertThat(channel.config().setOption(ChannelOption.TCP_NODELAY, true)).isTrue();
			assertThat(channel.config().setOption(ChannelOption.SO_KEEPALIVE, true)).isTrue();
			assertThat(channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true)).isTrue();
			assertThat(channel.config().isAllowHalfClosure()).isTrue();
			assertThat(channel.peer()).isNull();
		}
		finally {
			channel.unsafe().closeForcibly();
		}
	}

	@Test
	void theBufferSizeIsSetBeyondTheKernelsDefaultMaximumAndReadBack() {
		Channel server = new ServerBootstrap().group(group)
			.channel(VsockServerChannel.class)
			.option(VsockChannelOption.BUFFER_SIZE, 4L * MIB)
			.childHandler(new ChannelInboundHandlerAdapter())
			.bind(VsockAddress.of(VsockAddress.CID_ANY, 0))
			.syncUninterruptibly()
			.channel();
		try {
			assertThat(server.config().getOption(VsockChannelOption.BUFFER_SIZE)).isEqualTo(4L * MIB);
		}
		finally {
			server.close().syncUninterruptibly();
		}
	}

	@Test
	void withoutTheOptionTheKernelsDefaultIsReported() {
		VsockServerChannel server = new VsockServerChannel();
		VsockChannel client = new VsockChannel();
		try {
			assertThat(server.config().getBufferSize()).isEqualTo(KERNEL_DEFAULT);
			assertThat(client.config().getOption(VsockChannelOption.BUFFER_SIZE)).isEqualTo(KERNEL_DEFAULT);
			assertThat(client.config().setOption(VsockChannelOption.BUFFER_SIZE, 64 * 1024L)).isTrue();
			assertThat(client.config().getBufferSize()).as("smaller than the default, too").isEqualTo(64 * 1024L);
		}
		finally {
			server.unsafe().closeForcibly();
			client.unsafe().closeForcibly();
		}
	}

	@Test
	void aBufferSizeThatIsNotPositiveIsRefusedNamingTheValue() {
		VsockChannel client = new VsockChannel();
		try {
			assertThatExceptionOfType(IllegalArgumentException.class)
				.isThrownBy(() -> client.config().setBufferSize(0))
				.withMessageContaining("Invalid vsock buffer size 0");
			assertThat(client.config().getBufferSize()).isEqualTo(KERNEL_DEFAULT);
		}
		finally {
			client.unsafe().closeForcibly();
		}
	}

	static Channel bind(VsockAddress address) {
		return bind(group, address);
	}

	static Channel bind(EventLoopGroup group, VsockAddress address) {
		return new ServerBootstrap().group(group)
			.channel(VsockServerChannel.class)
			.childHandler(new ChannelInboundHandlerAdapter())
			.bind(address)
			.syncUninterruptibly()
			.channel();
	}

}
