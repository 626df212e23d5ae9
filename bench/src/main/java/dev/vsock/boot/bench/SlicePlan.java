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
 * both take, so a cell whose responses take long gets fewer and longer slices.
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
	 * @param longestLead the longest lead a slice may have (the cell's warm-up per target)
	 * @return slices at least {@link #SHORTEST} and four times the slowest median long, as many as
	 * fit in {@code measure} up to {@code most} (at least one), each led by twice that median
	 */
	static SlicePlan of(Duration measure, Duration slowestMedian, int most, Duration longestLead) {
		Duration shortest = max(SHORTEST, slowestMedian.multipliedBy(4));
		int slices = (int) Math.max(1, Math.min(most, measure.toNanos() / shortest.toNanos()));
		Duration lead = slowestMedian.multipliedBy(2);
		return new SlicePlan(slices, (lead.compareTo(longestLead) > 0) ? longestLead : lead, measure.dividedBy(slices));
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
