package dev.vsock.boot.netty;

import java.time.Duration;

import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.LinuxSocket;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client channel's settings as the kernel holds them, read back from a socket that is never
 * connected: safe on a build machine, where a vsock connect would leave the machine.
 */
class VsockChannelTest {

	@Test
	void theKernelWaitsForAConnectAsLongAsTheChannelsConnectTimeout() throws Exception {
		// The kernel gives up a vsock connect after 2 s of its own unless told otherwise, whatever
		// the client's timeout, so a spring.vsock.client.connect-timeout above 2 s did nothing
		// (and a slow guest, as in the benchmark of 3 December 17:49 UTC, where two requests
		// failed of a cause it did not record, could fail a connect the client would still wait for).
		VsockChannel channel = new VsockChannel();
		try {
			assertThat(VsockNative.connectTimeout((LinuxSocket) channel.fd()))
				.isEqualTo(Duration.ofMillis(channel.config().getConnectTimeoutMillis()));
			channel.config().setOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_500);
			assertThat(VsockNative.connectTimeout((LinuxSocket) channel.fd())).isEqualTo(Duration.ofMillis(10_500));
		}
		finally {
			channel.unsafe().closeForcibly();
		}
	}

	@Test
	void noConnectTimeoutLeavesTheKernelWaitingAsLongAsItCan() throws Exception {
		VsockChannel channel = new VsockChannel();
		try {
			channel.config().setConnectTimeoutMillis(0);
			assertThat(VsockNative.connectTimeout((LinuxSocket) channel.fd())).isGreaterThan(Duration.ofDays(365));
		}
		finally {
			channel.unsafe().closeForcibly();
		}
	}

}
