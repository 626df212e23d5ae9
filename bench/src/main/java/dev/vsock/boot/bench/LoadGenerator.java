package dev.vsock.boot.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

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
 * count; the warm-up before it does not. A cell of one target ({@link #run}) cancels what is still
 * in flight at the window's end; the cells of the matrix ({@link #interleave}) take their targets
 * in slices and await it.
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
		Mono<Void> request = timed(target, workload, within(windowStart, windowEnd), latencies,
				(ex) -> failures.record(ex, System.nanoTime()));
		try {
			// Requests still in flight when the window closes are cancelled, not awaited: they would
			// not count, and at 128 connections of 1 MiB bodies draining them takes longer than the cell.
			Flux.range(0, concurrency)
				.flatMap((worker) -> request.repeat(() -> System.nanoTime() - windowEnd < 0), concurrency)
				.take(Duration.ofNanos(Math.max(0, windowEnd - System.nanoTime())))
				.blockLast(this.warmup.plus(this.measure).plus(Duration.ofMinutes(1)));
		}
		finally {
			closeConnections(target);
		}
		logFailures(failures.inCell(), failures.firstInCell(), target, workload, concurrency, round);
		Throwable late = failures.firstAfterCell();
		if (late != null) {
			GuestBenchmark.log(failures.afterCell() + " request(s) to " + target.name() + " failed after the window of "
					+ workload.name() + " x" + concurrency + ", round " + round
					+ " closed, while its connections were being closed (not counted); the first: " + late);
		}
		return result(target, workload, concurrency, round, latencies, failures.inCell(), this.measure);
	}

	/**
	 * Runs one cell for several targets at once, taking turns slice by slice (see {@link SlicePlan}):
	 * first each target's warm-up, in the given order, which also gives the slowest target's median
	 * response time that the plan is made from (every response of the warm-up's requests, those
	 * that end after it too, so that responses longer than the warm-up are not taken for as long as
	 * it); then the slices, the order reversed every time
	 * round (A B C, C B A, A B C, ...), so that no target is always first after another. Nothing
	 * is cancelled: each slice waits for its last responses before the next starts, so every
	 * failed request is the cell's.
	 * @param targets the targets, in the order of the first turn
	 * @param workload the request repeated
	 * @param concurrency the number of closed-loop workers, and so of keep-alive connections
	 * @param round the round of the matrix
	 * @param mostSlices the most slices per target
	 * @return each target's figures, in the order given
	 */
	List<HttpResult> interleave(List<HttpTarget> targets, Workload workload, int concurrency, int round,
			int mostSlices) {
		List<Histogram> latencies = new ArrayList<>();
		List<Failures.Tally> failed = new ArrayList<>();
		try {
			long slowestMedian = 0;
			for (HttpTarget target : targets) {
				Histogram warm = new ConcurrentHistogram(3);
				Failures.Tally failures = new Failures.Tally();
				slice(target, workload, concurrency, System.nanoTime() + this.warmup.toNanos(), (received) -> true, warm,
						failures);
				// Every request sent in the warm-up failed: the slowest possible, as long as the warm-up.
				slowestMedian = Math.max(slowestMedian,
						(warm.getTotalCount() > 0) ? warm.getValueAtPercentile(50) : this.warmup.toNanos());
				latencies.add(new ConcurrentHistogram(3));
				failed.add(failures);
			}
			SlicePlan plan = SlicePlan.of(this.measure, Duration.ofNanos(slowestMedian), mostSlices);
			for (int t : turns(targets.size(), plan.slices())) {
				long windowStart = System.nanoTime() + plan.lead().toNanos();
				long windowEnd = windowStart + plan.window().toNanos();
				slice(targets.get(t), workload, concurrency, windowEnd, within(windowStart, windowEnd), latencies.get(t),
						failed.get(t));
			}
			List<HttpResult> results = new ArrayList<>();
			for (int t = 0; t < targets.size(); t++) {
				HttpTarget target = targets.get(t);
				logFailures(failed.get(t).count(), failed.get(t).first(), target, workload, concurrency, round);
				results.add(result(target, workload, concurrency, round, latencies.get(t), failed.get(t).count(),
						plan.measured()));
			}
			return results;
		}
		finally {
			targets.forEach(LoadGenerator::closeConnections);
		}
	}

	/**
	 * The order of an interleaved cell's slices: every target once in the given order, then once in
	 * the reverse order, and so on.
	 * @param targets how many targets
	 * @param slices the slices per target
	 * @return the targets' indexes, one per slice, for example {@code 0 1 2 2 1 0} for 3 and 2
	 */
	static List<Integer> turns(int targets, int slices) {
		List<Integer> turns = new ArrayList<>();
		for (int slice = 0; slice < slices; slice++) {
			for (int i = 0; i < targets; i++) {
				turns.add((slice % 2 == 0) ? i : targets - 1 - i);
			}
		}
		return turns;
	}

	/**
	 * One slice of an interleaved cell: the closed loop from idle connections until {@code end}
	 * ({@link System#nanoTime}), the responses whose arrival counts recorded, then every request
	 * still in flight awaited (no worker sends another after the end).
	 */
	private static void slice(HttpTarget target, Workload workload, int concurrency, long end, LongPredicate counts,
			Histogram latencies, Failures.Tally failed) {
		Mono<Void> request = timed(target, workload, counts, latencies, failed::add);
		Flux.range(0, concurrency)
			.flatMap((worker) -> request.repeat(() -> System.nanoTime() - end < 0), concurrency)
			.blockLast(Duration.ofNanos(end - System.nanoTime()).plus(Duration.ofMinutes(1)));
	}

	/**
	 * Arrivals inside a window, compared by difference, as {@link System#nanoTime}'s contract asks
	 * and as {@link Failures} does.
	 */
	private static LongPredicate within(long windowStart, long windowEnd) {
		return (received) -> received - windowStart >= 0 && received - windowEnd <= 0;
	}

	/**
	 * One request of a closed loop, its response time recorded when its arrival counts, a failure
	 * handed on and the loop kept going.
	 */
	private static Mono<Void> timed(HttpTarget target, Workload workload, LongPredicate counts, Histogram latencies,
			Consumer<Throwable> failed) {
		return Mono.defer(() -> {
			long sent = System.nanoTime();
			return workload.send(target.client()).doOnSuccess((ignored) -> {
				long received = System.nanoTime();
				if (counts.test(received)) {
					latencies.recordValue(received - sent);
				}
			});
		}).onErrorResume((ex) -> {
			failed.accept(ex);
			return Mono.empty();
		});
	}

	private static void closeConnections(HttpTarget target) {
		int stray = target.closeConnections();
		if (stray > 0) {
			GuestBenchmark.log(stray + " connection(s) of " + target.name() + " still open after its pool was emptied, "
					+ "closed");
		}
	}

	/** One line a cell and target, so that a failed request is explained, not only counted. */
	private static void logFailures(long count, @Nullable Throwable first, HttpTarget target, Workload workload,
			int concurrency, int round) {
		if (first != null) {
			GuestBenchmark.log(count + " request(s) to " + target.name() + " failed in " + workload.name() + " x"
					+ concurrency + ", round " + round + "; the first: " + first);
		}
	}

	private static HttpResult result(HttpTarget target, Workload workload, int concurrency, int round,
			Histogram latencies, long errors, Duration measured) {
		double seconds = measured.toNanos() / 1e9;
		long requests = latencies.getTotalCount();
		return new HttpResult(target.server(), target.transport(), workload.name(), concurrency, round, requests,
				errors, seconds, requests / seconds, latencies.getValueAtPercentile(50) / 1e6,
				latencies.getValueAtPercentile(99) / 1e6);
	}

}
