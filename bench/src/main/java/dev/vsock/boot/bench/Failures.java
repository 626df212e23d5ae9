package dev.vsock.boot.bench;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

/**
 * The failed requests of one cell, told apart by when they failed: up to the end of the cell's
 * measured window they are the cell's errors; after it, the load generator has cancelled what was
 * in flight and is emptying the target's pool, so a request failing then fails because of the
 * benchmark, not the transport. In the run of 3 December at 90d1137, one request over vsock failed
 * with reactor-pool's {@code PoolShutdownException} ("Pool has been shut down") and was counted as
 * an error of the vsock cell; such failures are counted apart now, and logged.
 */
final class Failures {

	private final long windowEnd;

	private final Tally inCell = new Tally();

	private final Tally afterCell = new Tally();

	/**
	 * @param windowEnd when the cell's measured window closes, in {@link System#nanoTime()}
	 */
	Failures(long windowEnd) {
		this.windowEnd = windowEnd;
	}

	/**
	 * Counts one failed request.
	 * @param failure why it failed
	 * @param failedAt when, in {@link System#nanoTime()}
	 */
	void record(Throwable failure, long failedAt) {
		// The same bound as a response's: one received at the window's end still counts.
		(failedAt - this.windowEnd <= 0 ? this.inCell : this.afterCell).add(failure);
	}

	/**
	 * @return the requests that failed before the window closed: the cell's errors
	 */
	long inCell() {
		return this.inCell.count();
	}

	/**
	 * @return the requests that failed after the window closed, while the cell was being torn down
	 */
	long afterCell() {
		return this.afterCell.count();
	}

	@Nullable Throwable firstInCell() {
		return this.inCell.first();
	}

	@Nullable Throwable firstAfterCell() {
		return this.afterCell.first();
	}

	/**
	 * How many requests failed, and the first of them: here on one side of the window's end; in an
	 * interleaved cell ({@link LoadGenerator#interleave}) all of one target's.
	 */
	static final class Tally {

		private final LongAdder count = new LongAdder();

		private final AtomicReference<@Nullable Throwable> first = new AtomicReference<>();

		void add(Throwable failure) {
			this.count.increment();
			this.first.compareAndSet(null, failure);
		}

		long count() {
			return this.count.sum();
		}

		@Nullable Throwable first() {
			return this.first.get();
		}

	}

}
