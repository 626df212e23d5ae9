package dev.vsock.boot.bench;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cell's failed requests count as its errors up to the end of its window, and not after, when
 * the load generator is tearing the cell down.
 */
class FailuresTest {

	@Test
	void aRequestThatFailsAfterTheWindowIsNotTheCellsError() {
		long windowEnd = 1_000_000_000L;
		Failures failures = new Failures(windowEnd);
		IOException reset = new IOException("Connection reset by peer");
		IllegalStateException shutDown = new IllegalStateException("Pool has been shut down");
		failures.record(reset, windowEnd - 5);
		failures.record(new IOException("later"), windowEnd);
		failures.record(shutDown, windowEnd + 1);
		assertThat(failures.inCell()).isEqualTo(2);
		assertThat(failures.firstInCell()).isSameAs(reset);
		assertThat(failures.afterCell()).isEqualTo(1);
		assertThat(failures.firstAfterCell()).isSameAs(shutDown);
	}

	@Test
	void theBoundHoldsWhenNanoTimeWrapsAround() {
		long windowEnd = Long.MAX_VALUE - 10;
		Failures failures = new Failures(windowEnd);
		failures.record(new IOException("after"), windowEnd + 20);
		failures.record(new IOException("before"), windowEnd - 20);
		assertThat(failures.inCell()).isEqualTo(1);
		assertThat(failures.afterCell()).isEqualTo(1);
	}

	@Test
	void noFailureLeavesNothingToTell() {
		Failures failures = new Failures(0);
		assertThat(failures.inCell()).isZero();
		assertThat(failures.afterCell()).isZero();
		assertThat(failures.firstInCell()).isNull();
		assertThat(failures.firstAfterCell()).isNull();
	}

}
