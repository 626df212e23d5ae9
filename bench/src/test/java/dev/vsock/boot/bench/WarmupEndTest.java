package dev.vsock.boot.bench;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.vsock.boot.bench.Results.HttpResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The warm-up ends when the mean of its last rounds is no longer above the rounds before, not when
 * two single rounds happen to agree: on the shared machine rounds move by up to 20 % once the JIT
 * is done.
 */
class WarmupEndTest {

	@Test
	void theTrendIsTheLastRoundsAgainstAsManyBeforeThemOverTheCells() {
		// Two cells: the first doubled from the rounds before to the last ones, the second halved.
		List<List<HttpResult>> rounds = List.of(round(100, 400), round(100, 400), round(200, 200), round(200, 200));
		assertThat(WarmupEnd.trend(rounds, 2)).isCloseTo(1.0, within(1e-9));
		assertThat(WarmupEnd.trend(rounds.subList(0, 3), 2)).isNull();
		assertThat(WarmupEnd.trend(rounds, 0)).isNull();
	}

	@Test
	void noisyRoundsThatNoLongerRiseEndTheWarmupWhereRisingOnesDoNot() {
		List<List<HttpResult>> rounds = new ArrayList<>();
		// Rising, as the JIT compiles: every round 20 % above the one before.
		for (double rate = 100; rate < 250; rate *= 1.2) {
			rounds.add(round(rate, rate * 2));
			assertThat(WarmupEnd.stoppedRising(rounds, 3, 0.05)).isFalse();
		}
		// Then level, but no two rounds in a row within 5 % of each other.
		for (double rate : List.of(300.0, 240.0, 290.0, 250.0, 300.0, 245.0)) {
			rounds.add(round(rate, rate * 2));
		}
		assertThat(WarmupEnd.stoppedRising(rounds, 3, 0.05)).isTrue();
		assertThat(WarmupEnd.trend(rounds, 3)).isCloseTo(1.0, within(0.05));
	}

	@Test
	void aRawChannelStillRisingKeepsTheWarmupGoingThoughTheHttpCellsAreLevel() {
		// The raw vsock channel in the runs of 5 December: its own code compiled later than the
		// HTTP paths, a plateau at 15.6 MiB/s and then a rise to 23-27.
		List<List<HttpResult>> level = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			level.add(round(300, 600));
		}
		List<Double> raw = new ArrayList<>(List.of(15.6, 15.8, 15.7, 19.3, 21.5, 26.5));
		assertThat(WarmupEnd.ended(level, raw, List.of(), 3, 0.05, 0.05)).isFalse();
		raw.addAll(List.of(25.2, 27.0, 26.4));
		assertThat(WarmupEnd.trendOfRates(raw, 3)).isCloseTo(Math.cbrt((25.2 * 27.0 * 26.4) / (19.3 * 21.5 * 26.5)),
				within(1e-9));
		assertThat(WarmupEnd.ended(level, raw, List.of(), 3, 0.05, 0.05)).isFalse();
		// Level, though no two turns in a row alike.
		raw.addAll(List.of(26.0, 24.9, 26.8));
		assertThat(WarmupEnd.ended(level, raw, List.of(), 3, 0.05, 0.05)).isTrue();
		assertThat(WarmupEnd.ended(level, List.of(), List.of(), 3, 0.05, 0.05)).as("no raw channel in the warm-up").isTrue();
		assertThat(WarmupEnd.ended(level.subList(0, 5), raw, List.of(), 3, 0.05, 0.05)).as("too few HTTP rounds").isFalse();
	}

	@Test
	void aJitStillCompilingKeepsTheWarmupGoingThoughEveryRateIsLevel() {
		// The run of 5 December at 05:37: the HTTP cells and the raw vsock channel level, the raw
		// channel at 15.8 MiB/s round after round, the rate the same transfer had in a JVM of its own
		// while a compile ran beside it on the guest's one CPU (27 MiB/s where none did).
		List<List<HttpResult>> level = new ArrayList<>();
		List<Double> raw = new ArrayList<>();
		List<Double> compiling = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			level.add(round(300, 600));
			raw.add(15.8);
			compiling.add(0.40);
		}
		assertThat(WarmupEnd.ended(level, raw, List.of(), 3, 0.05, 0.05)).as("compiling not measured").isTrue();
		assertThat(WarmupEnd.ended(level, raw, compiling, 3, 0.05, 0.05)).isFalse();
		// Quiet in two of the last three rounds is not enough: a compile of 11 s can fall in one.
		compiling.addAll(List.of(0.01, 0.12, 0.02));
		assertThat(WarmupEnd.ended(level, raw, compiling, 3, 0.05, 0.05)).isFalse();
		compiling.addAll(List.of(0.03, 0.01, 0.049));
		assertThat(WarmupEnd.ended(level, raw, compiling, 3, 0.05, 0.05)).isTrue();
		assertThat(WarmupEnd.ended(level, raw, compiling.subList(0, 10), 3, 0.05, 0.05)).as("a compile in the last three").isFalse();
	}

	@Test
	void aCellThatFailedInARoundIsLeftOutOfTheTrend() {
		List<List<HttpResult>> rounds = List.of(round(100, 0), round(200, 50));
		assertThat(WarmupEnd.trend(rounds, 1)).isCloseTo(2.0, within(1e-9));
	}

	@Test
	void forkedRoundsAreNumberedOnAcrossTheForks() {
		System.setProperty("bench.rounds", "3");
		System.setProperty("bench.forks", "2");
		try {
			BenchConfig config = BenchConfig.fromSystemProperties();
			assertThat(config.totalRounds()).isEqualTo(6);
			assertThat(List.of(1, 3, 4, 6).stream().map(config::forkOf)).containsExactly(1, 1, 2, 2);
		}
		finally {
			System.clearProperty("bench.rounds");
			System.clearProperty("bench.forks");
		}
	}

	private static List<HttpResult> round(double first, double second) {
		return List.of(cell("vsock", first), cell("tcp", second));
	}

	private static HttpResult cell(String transport, double rate) {
		return new HttpResult(BenchServer.TOMCAT, transport, Workload.JSON_GET.name(), 16, 0, (long) (rate * 3), 0, 3,
				rate, 1, 2);
	}

}
