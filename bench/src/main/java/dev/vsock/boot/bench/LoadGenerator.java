package dev.vsock.boot.bench;

import java.time.Duration;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
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
		long windowStart = System.nanoTime() + this.warmup.toNanos();
		long windowEnd = windowStart + this.measure.toNanos();
		Failures failures = new Failures(windowEnd);
		Mono<Void> request = Mono.defer(() -> {
			long sent = System.nanoTime();
			return workload.send(target.client()).doOnSuccess((ignored) -> {
				long received = System.nanoTime();
				// Compared by difference, as System.nanoTime's contract asks and as Failures does.
				if (received - windowStart >= 0 && received - windowEnd <= 0) {
					latencies.recordValue(received - sent);
				}
			});
		}).onErrorResume((ex) -> {
			failures.record(ex, System.nanoTime());
			return Mono.empty();
		});
		try {
			// Requests still in flight when the window closes are cancelled, not awaited: they would
			// not count, and at 128 connections of 1 MiB bodies draining them takes longer than the cell.
			Flux.range(0, concurrency)
				.flatMap((worker) -> request.repeat(() -> System.nanoTime() - windowEnd < 0), concurrency)
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
		// One line a cell, so that a failed request is explained, not only counted.
		Throwable first = failures.firstInCell();
		if (first != null) {
			GuestBenchmark.log(failures.inCell() + " request(s) to " + target.name() + " failed in " + workload.name()
					+ " x" + concurrency + ", round " + round + "; the first: " + first);
		}
		Throwable late = failures.firstAfterCell();
		if (late != null) {
			GuestBenchmark.log(failures.afterCell() + " request(s) to " + target.name() + " failed after the window of "
					+ workload.name() + " x" + concurrency + ", round " + round
					+ " closed, while its connections were being closed (not counted); the first: " + late);
		}
		double seconds = this.measure.toNanos() / 1e9;
		long requests = latencies.getTotalCount();
		return new HttpResult(target.server(), target.transport(), workload.name(), concurrency, round, requests,
				failures.inCell(), seconds, requests / seconds, latencies.getValueAtPercentile(50) / 1e6,
				latencies.getValueAtPercentile(99) / 1e6);
	}

}
