package dev.vsock.boot.bench;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a cell's measured time is cut into slices, from the median response times the runs of
 * 4 December saw (the relay, each cell's slowest target).
 */
class SlicePlanTest {

	private static final Duration MEASURE = Duration.ofSeconds(6);

	private static final Duration WARMUP = Duration.ofSeconds(2);

	@Test
	void fastResponsesGiveTheMostSlicesOfOneSecondEachLedByTwiceTheMedian() {
		// GET x16 through the relay: a median of 47 ms.
		SlicePlan plan = SlicePlan.of(MEASURE, Duration.ofMillis(47), 6, WARMUP);
		assertThat(plan.slices()).isEqualTo(6);
		assertThat(plan.window()).isEqualTo(Duration.ofSeconds(1));
		assertThat(plan.lead()).isEqualTo(Duration.ofMillis(94));
		assertThat(plan.measured()).isEqualTo(MEASURE);
	}

	@Test
	void slowerResponsesGiveFewerLongerSlices() {
		// GET x128 through the relay: a median of 535 ms; slices of at least 2.14 s, so 2 of 3 s.
		SlicePlan plan = SlicePlan.of(MEASURE, Duration.ofMillis(535), 6, WARMUP);
		assertThat(plan.slices()).isEqualTo(2);
		assertThat(plan.window()).isEqualTo(Duration.ofSeconds(3));
		assertThat(plan.lead()).isEqualTo(Duration.ofMillis(1070));
	}

	@Test
	void responsesSlowerThanTheMeasuredTimeAllowsGiveOneSliceLedByTheWarmUpAtMost() {
		// 1 MiB POSTs x128 through the relay: a median of 3.6 s.
		SlicePlan plan = SlicePlan.of(MEASURE, Duration.ofMillis(3590), 6, WARMUP);
		assertThat(plan.slices()).isEqualTo(1);
		assertThat(plan.window()).isEqualTo(MEASURE);
		assertThat(plan.lead()).isEqualTo(WARMUP);
	}

	@Test
	void theMostSlicesIsAllowed() {
		assertThat(SlicePlan.of(MEASURE, Duration.ofMillis(1), 3, WARMUP).slices()).isEqualTo(3);
		assertThat(SlicePlan.of(MEASURE, Duration.ofMillis(1), 1, WARMUP).slices()).isEqualTo(1);
	}

}
