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

	@Test
	void fastResponsesGiveTheMostSlicesOfOneSecondEachLedByTwiceTheMedian() {
		// GET x16 through the relay: a median of 47 ms.
		SlicePlan plan = SlicePlan.of(MEASURE, Duration.ofMillis(47), 6);
		assertThat(plan.slices()).isEqualTo(6);
		assertThat(plan.window()).isEqualTo(Duration.ofSeconds(1));
		assertThat(plan.lead()).isEqualTo(Duration.ofMillis(94));
		assertThat(plan.measured()).isEqualTo(MEASURE);
	}

	@Test
	void slowerResponsesGiveFewerLongerSlices() {
		// GET x128 through the relay: a median of 535 ms; slices of at least 2.14 s, so 2 of 3 s.
		SlicePlan plan = SlicePlan.of(MEASURE, Duration.ofMillis(535), 6);
		assertThat(plan.slices()).isEqualTo(2);
		assertThat(plan.window()).isEqualTo(Duration.ofSeconds(3));
		assertThat(plan.lead()).isEqualTo(Duration.ofMillis(1070));
	}

	@Test
	void responsesSlowerThanAQuarterOfTheMeasuredTimeGiveOneSliceFourTimesAsLongLedByTwice() {
		// 1 MiB POSTs x128 through the relay: a median of 3.6 s.
		SlicePlan plan = SlicePlan.of(MEASURE, Duration.ofMillis(3590), 6);
		assertThat(plan.slices()).isEqualTo(1);
		assertThat(plan.window()).isEqualTo(Duration.ofMillis(14360));
		assertThat(plan.lead()).isEqualTo(Duration.ofMillis(7180));
		assertThat(plan.measured()).isEqualTo(Duration.ofMillis(14360));
	}

	@Test
	void responsesLongerThanTheMeasuredTimeAreCountedOverFourOfThem() {
		// 1 MiB POSTs x128 to Tomcat over vsock with the guest's instruction clock: a median of 7.8 s,
		// which windows of 6 s after a lead of 2 s cut to 0 to 6 responses against TCP's 42 to 55.
		SlicePlan plan = SlicePlan.of(MEASURE, Duration.ofMillis(7800), 6);
		assertThat(plan.slices()).isEqualTo(1);
		assertThat(plan.lead()).isEqualTo(Duration.ofMillis(15600));
		assertThat(plan.window()).isEqualTo(Duration.ofMillis(31200));
	}

	@Test
	void theMostSlicesIsAllowed() {
		assertThat(SlicePlan.of(MEASURE, Duration.ofMillis(1), 3).slices()).isEqualTo(3);
		assertThat(SlicePlan.of(MEASURE, Duration.ofMillis(1), 1).slices()).isEqualTo(1);
	}

}
