package dev.vsock.boot.hybrid;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The handshake of {@link HybridVsockConnectHandler} byte by byte, on an embedded channel.
 */
class HybridVsockConnectHandlerTest {

	private static final Path SOCKET = Path.of("/run/firecracker/v.sock");

	@Test
	void sendsConnectAndHoldsBackWritesUntilOk() {
		EmbeddedChannel channel = new EmbeddedChannel(new HybridVsockConnectHandler(SOCKET, 52, 0));
		ChannelFuture request = channel.writeAndFlush(ascii("GET / HTTP/1.1\r\n\r\n"));
		assertThat(outbound(channel)).isEqualTo("CONNECT 52\n");
		assertThat(request.isDone()).isFalse();
		channel.writeInbound(ascii("OK 1073741824\n"));
		assertThat(outbound(channel)).isEqualTo("GET / HTTP/1.1\r\n\r\n");
		assertThat(request.isSuccess()).isTrue();
		assertThat(channel.attr(HybridVsockConnectHandler.HOST_PORT).get()).isEqualTo(1073741824L);
		assertThat(channel.pipeline().get(HybridVsockConnectHandler.class)).isNull();
		assertThat((Object) channel.readInbound()).as("the OK line is not the application's").isNull();
		channel.finishAndReleaseAll();
	}

	@Test
	void readsAnAnswerThatComesInPiecesAndPassesOnWhatFollowsIt() {
		EmbeddedChannel channel = new EmbeddedChannel(new HybridVsockConnectHandler(SOCKET, 5000, 0));
		outbound(channel);
		channel.writeInbound(ascii("O"));
		channel.writeInbound(ascii("K 42"));
		channel.writeInbound(ascii("94967295\nHTTP/1.1 200 OK\r\n"));
		assertThat(channel.attr(HybridVsockConnectHandler.HOST_PORT).get()).isEqualTo(4294967295L);
		ByteBuf rest = channel.readInbound();
		assertThat(rest.toString(StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200 OK\r\n");
		rest.release();
		channel.finishAndReleaseAll();
	}

	@Test
	void aConnectionClosedWithoutAnswerFailsTheWaitingWritesWithAClearMessage() {
		EmbeddedChannel channel = new EmbeddedChannel(new HybridVsockConnectHandler(SOCKET, 53, 0));
		ChannelFuture request = channel.writeAndFlush(ascii("GET / HTTP/1.1\r\n\r\n"));
		outbound(channel);
		assertThatExceptionOfType(HybridVsockConnectException.class)
			.as("fired down the pipeline, where Reactor Netty reports it")
			.isThrownBy(() -> {
				channel.pipeline().fireChannelInactive();
				channel.checkException();
			});
		assertThat(request.cause()).isInstanceOf(HybridVsockConnectException.class)
			.hasMessageContaining("vsock port 53 through /run/firecracker/v.sock")
			.hasMessageContaining("no process in the guest listens on that port");
		assertThat(channel.isOpen()).isFalse();
		channel.finishAndReleaseAll();
	}

	@Test
	void anAnswerOtherThanOkFailsAndCloses() {
		EmbeddedChannel channel = new EmbeddedChannel(new HybridVsockConnectHandler(SOCKET, 52, 0));
		ChannelFuture request = channel.writeAndFlush(ascii("GET / HTTP/1.1\r\n\r\n"));
		outbound(channel);
		assertThatExceptionOfType(HybridVsockConnectException.class)
			.isThrownBy(() -> channel.writeInbound(ascii("ERR no listener\n")));
		assertThat(request.cause()).isInstanceOf(HybridVsockConnectException.class)
			.hasMessage("The answer to 'CONNECT 52' on /run/firecracker/v.sock is 'ERR no listener', not 'OK <port>'");
		assertThat(channel.isOpen()).isFalse();
		channel.finishAndReleaseAll();
	}

	@Test
	void anAnswerWithoutEndOfLineFails() {
		EmbeddedChannel channel = new EmbeddedChannel(new HybridVsockConnectHandler(SOCKET, 52, 0));
		ChannelFuture request = channel.writeAndFlush(ascii("GET / HTTP/1.1\r\n\r\n"));
		outbound(channel);
		assertThatExceptionOfType(HybridVsockConnectException.class)
			.isThrownBy(() -> {
				channel.writeInbound(ascii("X".repeat(40)));
				channel.writeInbound(ascii("Y".repeat(40)));
			});
		assertThat(request.cause()).isInstanceOf(HybridVsockConnectException.class)
			.hasMessageContaining("no end of line in its first 64 bytes");
		channel.finishAndReleaseAll();
	}

	@Test
	void parsesOnlyOkAndAnUnsigned32BitPort() {
		assertThat(HybridVsockConnectHandler.parseOk("OK 0")).isZero();
		assertThat(HybridVsockConnectHandler.parseOk("OK 4294967295")).isEqualTo(4294967295L);
		assertThat(HybridVsockConnectHandler.parseOk("OK 4294967296")).isEqualTo(-1);
		assertThat(HybridVsockConnectHandler.parseOk("OK -1")).isEqualTo(-1);
		assertThat(HybridVsockConnectHandler.parseOk("OK ")).isEqualTo(-1);
		assertThat(HybridVsockConnectHandler.parseOk("ok 5")).isEqualTo(-1);
		assertThat(HybridVsockConnectHandler.parseOk("OK 12345678901")).isEqualTo(-1);
	}

	@Test
	void refusesAPortThatCannotBeConnectedTo() {
		assertThatIllegalArgumentException().isThrownBy(() -> new HybridVsockConnectHandler(SOCKET, 0, 0))
			.withMessageContaining("Invalid guest port 0");
		assertThatIllegalArgumentException().isThrownBy(() -> new HybridVsockConnectHandler(SOCKET, 1L << 32, 0))
			.withMessageContaining("4294967296");
	}

	private static ByteBuf ascii(String text) {
		return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
	}

	private static String outbound(EmbeddedChannel channel) {
		StringBuilder written = new StringBuilder();
		for (ByteBuf buffer = channel.readOutbound(); buffer != null; buffer = channel.readOutbound()) {
			written.append(buffer.toString(StandardCharsets.US_ASCII));
			buffer.release();
		}
		return written.toString();
	}

}
