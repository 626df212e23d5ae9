package dev.vsock.boot.client;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the HTTP codec writes for a request that Reactor Netty made {@code HTTP/3.0}, with and
 * without {@link Http11RequestVersion} between them. No socket is involved.
 */
class Http11RequestVersionTest {

	@Test
	void aRequestReactorNettyMadeHttp3GoesOutAsHttp11() {
		assertThat(requestLine(true)).isEqualTo("GET /peer HTTP/1.1");
	}

	@Test
	void withoutItTheCodecWritesWhatReactorNettyChose() {
		assertThat(requestLine(false)).isEqualTo("GET /peer HTTP/3.0");
	}

	@Test
	void leavesHttp10Alone() {
		EmbeddedChannel channel = new EmbeddedChannel(new HttpClientCodec(), Http11RequestVersion.INSTANCE);
		channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/"));
		assertThat(firstLine(channel)).isEqualTo("GET / HTTP/1.0");
		channel.finishAndReleaseAll();
	}

	private static String requestLine(boolean withHandler) {
		EmbeddedChannel channel = withHandler
				? new EmbeddedChannel(new HttpClientCodec(), Http11RequestVersion.INSTANCE)
				: new EmbeddedChannel(new HttpClientCodec());
		channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.valueOf("HTTP/3.0"), HttpMethod.GET, "/peer"));
		String line = firstLine(channel);
		channel.finishAndReleaseAll();
		return line;
	}

	private static String firstLine(EmbeddedChannel channel) {
		StringBuilder written = new StringBuilder();
		for (ByteBuf buffer = channel.readOutbound(); buffer != null; buffer = channel.readOutbound()) {
			written.append(buffer.toString(StandardCharsets.US_ASCII));
			buffer.release();
		}
		return written.substring(0, written.indexOf("\r\n"));
	}

}
