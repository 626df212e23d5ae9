package dev.vsock.boot.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The raw transfer's own buffers: the benchmark measures the channels, so it must not leak what
 * it sends with (Netty's leak detector reported the bulk source's chunk in the run of 3 December
 * 17:49 UTC).
 */
class RawBenchmarkTest {

	@Test
	void theBulkSourceSendsItsTotalAndReleasesItsChunkWhenItsChannelCloses() {
		long total = 3 * 256 * 1024 + 10;
		EmbeddedChannel channel = new EmbeddedChannel(new RawBenchmark.BulkSource(total, new CompletableFuture<>()));
		List<ByteBuf> written = new ArrayList<>();
		for (ByteBuf buffer; (buffer = channel.readOutbound()) != null;) {
			written.add(buffer);
		}
		assertThat(written.stream().mapToLong(ByteBuf::readableBytes).sum()).isEqualTo(total);
		ByteBuf chunk = root(written.get(0));
		written.forEach(ByteBuf::release);
		channel.finishAndReleaseAll();
		assertThat(chunk.refCnt()).isZero();
	}

	private static ByteBuf root(ByteBuf buffer) {
		ByteBuf root = buffer;
		while (root.unwrap() != null) {
			root = root.unwrap();
		}
		return root;
	}

}
