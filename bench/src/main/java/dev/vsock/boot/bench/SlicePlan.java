package dev.vsock.boot.bench;

import java.time.Duration;

/**
 * How a cell of the matrix shares its time between its targets: each target's measured time is
 * cut into slices, and the targets take turns slice by slice, so that vsock, TCP and the relay are
 * measured in the same seconds rather than one after the other. On the emulated guest a target's
 * rate moved by 13 % (standard deviation) from one 8 s turn to the next beyond what the whole round
 * shared (runs 10 and 11, 4 December); alternating in 1 s slices cut the spread of the vsock to TCP
 * ratio threefold in a trial the same day.
 * <p>
 * A slice is started from idle connections and its responses are counted only after a lead in
 * which every connection has become busy, and the requests in flight at its end are awaited,
 * not counted, before the next target's slice starts: the shorter the slices, the more time
 * both take, so a cell whose responses take long gets fewer and longer slices, and one whose
 * responses take longer than a quarter of the measured time one slice longer than that time. A
 * window shorter than the responses counts the ends of the few that happen to fall in it, not a
 * rate: with the guest's instruction clock, 1 MiB uploads at 128 connections took 7.8 s over vsock
 * and 6.1 to 6.5 s over TCP, and windows of 6 s after a lead of 2 s counted 0 to 6 of them against
 * TCP's 42 to 55 (trials C and D, 4 December).
 * @param slices the slices per target
 * @param lead the unmeasured start of each slice
 * @param window the measured rest of each slice
 */
record SlicePlan(int slices, Duration lead, Duration window) {

	/** No slice shorter than this: a second holds hundreds of responses in most cells. */
	static final Duration SHORTEST = Duration.ofSeconds(1);

	/**
	 * The plan for one cell.
	 * @param measure each target's measured time in the cell
	 * @param slowestMedian the median response time of the cell's slowest target, from its warm-up
	 * @param most the most slices per target
	 * @return slices at least {@link #SHORTEST} and four times the slowest median long, as many as
	 * fit in {@code measure} up to {@code most} (at least one, longer than {@code measure} if need
	 * be), each led by twice that median
	 */
	static SlicePlan of(Duration measure, Duration slowestMedian, int most) {
		Duration shortest = max(SHORTEST, slowestMedian.multipliedBy(4));
		int slices = (int) Math.max(1, Math.min(most, measure.toNanos() / shortest.toNanos()));
		return new SlicePlan(slices, slowestMedian.multipliedBy(2), max(shortest, measure.dividedBy(slices)));
	}

	private static Duration max(Duration a, Duration b) {
		return (a.compareTo(b) >= 0) ? a : b;
	}

	/**
	 * @return each target's measured time in the cell
	 */
	Duration measured() {
		return this.window.multipliedBy(this.slices);
	}

}
