package dev.vsock.boot.bench;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.vsock.boot.bench.Results.HttpResult;

/**
 * The one load loop every HTTP target is measured with: a fixed number of closed-loop workers,
 * each sending its next request when the last response has arrived, so that the number of busy
 * keep-alive connections is the concurrency. Requests that complete inside the measured window
 * count; the warm-up before it does not, and what is still in flight at its end is cancelled.
 */
final class LoadGenerator {

	private final Duration warmup;

	private final Duration measure;

	LoadGenerator(Duration warmup, Duration measure) {
		this.warmup = warmup;
		this.measure = measure;
	}

	HttpResult run(HttpTarget target, Workload workload, int concurrency) {
		return run(target, workload, concurrency, 0);
	}

	/**
	 * Runs one cell.
	 * @param target the server and transport
	 * @param workload the request repeated
	 * @param concurrency the number of closed-loop workers, and so of keep-alive connections
	 * @param round the round of the matrix this cell belongs to (0 outside the matrix)
	 * @return the cell's figures
	 */
	HttpResult run(HttpTarget target, Workload workload, int concurrency, int round) {
		// Nanoseconds, three significant digits, resized as needed; recorded from the client's loops.
		Histogram latencies = new ConcurrentHistogram(3);
		LongAdder errors = new LongAdder();
		AtomicReference<@Nullable Throwable> firstError = new AtomicReference<>();
		long windowStart = System.nanoTime() + this.warmup.toNanos();
		long windowEnd = windowStart + this.measure.toNanos();
		Mono<Void> request = Mono.defer(() -> {
			long sent = System.nanoTime();
			return workload.send(target.client()).doOnSuccess((ignored) -> {
				long received = System.nanoTime();
				if (received >= windowStart && received <= windowEnd) {
					latencies.recordValue(received - sent);
				}
			});
		}).onErrorResume((ex) -> {
			errors.increment();
			firstError.compareAndSet(null, ex);
			return Mono.empty();
		});
		try {
			// Requests still in flight when the window closes are cancelled, not awaited: they would
			// not count, and at 128 connections of 1 MiB bodies draining them takes longer than the cell.
			Flux.range(0, concurrency)
				.flatMap((worker) -> request.repeat(() -> System.nanoTime() < windowEnd), concurrency)
				.take(Duration.ofNanos(Math.max(0, windowEnd - System.nanoTime())))
				.blockLast(this.warmup.plus(this.measure).plus(Duration.ofMinutes(1)));
		}
		finally {
			int stray = target.closeConnections();
			if (stray > 0) {
				GuestBenchmark.log(stray + " connection(s) of " + target.name() + " still open after its pool was emptied, "
						+ "closed");
			}
		}
		Throwable first = firstError.get();
		if (first != null) {
			// One line a cell, so that a failed request is explained, not only counted.
			GuestBenchmark.log(errors.sum() + " request(s) to " + target.name() + " failed in " + workload.name() + " x"
					+ concurrency + ", round " + round + "; the first: " + first);
		}
		double seconds = this.measure.toNanos() / 1e9;
		long requests = latencies.getTotalCount();
		return new HttpResult(target.server(), target.transport(), workload.name(), concurrency, round, requests,
				errors.sum(), seconds, requests / seconds, latencies.getValueAtPercentile(50) / 1e6,
				latencies.getValueAtPercentile(99) / 1e6);
	}

}
