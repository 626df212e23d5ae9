package dev.vsock.boot.bench;

import java.util.Arrays;

/**
 * Collects latencies in nanoseconds from any thread and answers their percentiles.
 */
final class LatencyRecorder {

	private long[] samples = new long[1024];

	private int count;

	synchronized void record(long nanos) {
		if (this.count == this.samples.length) {
			this.samples = Arrays.copyOf(this.samples, this.count * 2);
		}
		this.samples[this.count++] = nanos;
	}

	synchronized int count() {
		return this.count;
	}

	/**
	 * Returns a percentile by the nearest-rank method.
	 * @param percent 0 to 100
	 * @return the latency in nanoseconds, or 0 when nothing was recorded
	 */
	synchronized long percentile(double percent) {
		if (this.count == 0) {
			return 0;
		}
		long[] sorted = Arrays.copyOf(this.samples, this.count);
		Arrays.sort(sorted);
		int rank = (int) Math.ceil(percent / 100 * this.count);
		return sorted[Math.max(0, Math.min(this.count - 1, rank - 1))];
	}

}
