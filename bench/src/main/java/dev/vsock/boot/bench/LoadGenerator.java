package dev.vsock.boot.bench;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

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
		LatencyRecorder latencies = new LatencyRecorder();
		LongAdder errors = new LongAdder();
		long windowStart = System.nanoTime() + this.warmup.toNanos();
		long windowEnd = windowStart + this.measure.toNanos();
		Mono<Void> request = Mono.defer(() -> {
			long sent = System.nanoTime();
			return workload.send(target.client()).doOnSuccess((ignored) -> {
				long received = System.nanoTime();
				if (received >= windowStart && received <= windowEnd) {
					latencies.record(received - sent);
				}
			});
		}).onErrorResume((ex) -> {
			errors.increment();
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
			target.closeConnections();
		}
		double seconds = this.measure.toNanos() / 1e9;
		return new HttpResult(target.server(), target.transport(), workload.name(), concurrency, latencies.count(),
				errors.sum(), seconds, latencies.count() / seconds, latencies.percentile(50) / 1e6,
				latencies.percentile(99) / 1e6);
	}

}
