package dev.vsock.boot.bench;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.vsock.boot.bench.Results.HttpResult;
import dev.vsock.boot.bench.Results.RawRound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * How the page turns rounds into verdicts: ratios are paired within a round, a verdict needs every
 * round on the same side of the target, and the warm-up's change is a geometric mean.
 */
class VerdictsTest {

	@Test
	void aVerdictNeedsEveryRoundOnTheSameSideOfTheTarget() {
		assertThat(Spread.of(List.of(0.97, 1.20, 0.99)).verdict(0.95)).isEqualTo("met");
		assertThat(Spread.of(List.of(0.80, 0.94, 0.90)).verdict(0.95)).isEqualTo("missed");
		assertThat(Spread.of(List.of(0.90, 1.10, 1.00)).verdict(0.95)).isEqualTo("inconclusive");
		assertThat(Spread.of(List.of()).verdict(0.95)).isEqualTo("not measured");
	}

	@Test
	void aTargetIsMetWhenAllItsCellsAreAndNotMeasuredWithoutCells() {
		ReportWriter.Tally tally = new ReportWriter.Tally();
		// A guest half stopped before any of the target's rows (its time limit) measured none.
		assertThat(tally.verdict()).isEqualTo("not measured");
		tally.add(Spread.of(List.of(0.97, 1.20)), 0.95);
		assertThat(tally.verdict()).isEqualTo("met");
		tally.add(Spread.of(List.of(0.90, 1.10)), 0.95);
		assertThat(tally.verdict()).isEqualTo("inconclusive");
		tally.add(Spread.of(List.of(0.80, 0.90)), 0.95);
		assertThat(tally.verdict()).isEqualTo("missed");
	}

	@Test
	void aSpreadGivesItsMedianAndRange() {
		Spread spread = Spread.of(List.of(1.2, 0.9, 1.0, 1.5));
		assertThat(spread.median()).isCloseTo(1.1, within(1e-9));
		assertThat(spread.min()).isEqualTo(0.9);
		assertThat(spread.max()).isEqualTo(1.5);
		assertThat(spread.percentages()).isEqualTo("110 % (90–150)");
		assertThat(Spread.of(List.of(1.5, 2.0, 2.5)).times()).isEqualTo("2.00× (1.50–2.50)");
	}

	@Test
	void ratiosArePairedWithinARoundAndTheWarmupAndProfilesAreLeftOut() {
		List<HttpResult> http = List.of(cell("vsock", 1, 110), cell("tcp", 1, 100), cell("vsock", 2, 90),
				cell("tcp", 2, 100), cell("vsock", 3, 50), cell("vsock", 0, 500), cell("tcp", 0, 1));
		assertThat(ReportWriter.ratios(http, "tomcat", "vsock", "tcp", Workload.JSON_GET.name(), 16))
			.containsExactly(1.1, 0.9);
	}

	@Test
	void aPostCellIsSetAgainstTheRawChannelOfItsOwnRowAndRound() {
		// 1 MiB per request: 50 requests per second are 50 MiB/s.
		List<HttpResult> http = List.of(post(16, 1, 50), post(16, 2, 60), post(16, 3, 70), post(128, 1, 10),
				post(16, 0, 999));
		List<RawRound> raw = List.of(new RawRound(16, 1, 100), new RawRound(16, 2, 60), new RawRound(128, 1, 20),
				new RawRound(1, 3, 1));
		assertThat(ReportWriter.againstRaw(http, raw, "tomcat", "vsock", 16)).containsExactly(0.5, 1.0);
		assertThat(ReportWriter.againstRaw(http, raw, "tomcat", "vsock", 128)).containsExactly(0.5);
		assertThat(ReportWriter.againstRaw(http, raw, "tomcat", "tcp", 16)).isEmpty();
	}

	@Test
	void aRoundWithSeveralRawTurnsSetsItsPostsAgainstTheirBytesOverTheirTime() {
		// Two turns of equal bytes at 100 and 50 MiB/s: 2 / (1/100 + 1/50) = 66.7 MiB/s.
		List<HttpResult> http = List.of(post(16, 1, 50), post(16, 2, 60));
		List<RawRound> raw = List.of(new RawRound(16, 1, 100), new RawRound(16, 1, 50), new RawRound(16, 2, 60));
		assertThat(ReportWriter.againstRaw(http, raw, "tomcat", "vsock", 16)).satisfiesExactly(
				(first) -> assertThat(first).isCloseTo(0.75, within(1e-9)),
				(second) -> assertThat(second).isCloseTo(1.0, within(1e-9)));
		assertThat(ReportWriter.rawPerRound(raw, 16)).satisfiesExactly(
				(first) -> assertThat(first).isCloseTo(200.0 / 3, within(1e-9)),
				(second) -> assertThat(second).isCloseTo(60.0, within(1e-9)));
	}

	@Test
	void theWarmupsChangeIsTheGeometricMeanOfTheCellsRatios() {
		List<HttpResult> before = List.of(cell("vsock", 0, 100), cell("tcp", 0, 100));
		List<HttpResult> after = List.of(cell("vsock", 0, 200), cell("tcp", 0, 50));
		assertThat(HttpResult.rateChange(before, after)).isCloseTo(1.0, within(1e-9));
		assertThat(HttpResult.rateChange(List.of(), after)).isEqualTo(1.0);
		assertThat(HttpResult.rateChange(before, List.of(cell("vsock", 0, 110), cell("tcp", 0, 110))))
			.isCloseTo(1.1, within(1e-9));
	}

	private static HttpResult post(int concurrency, int round, double rate) {
		return new HttpResult(BenchServer.TOMCAT, "vsock", Workload.POST_1MIB.name(), concurrency, round,
				(long) (rate * 10), 0, 10, rate, 1, 2);
	}

	private static HttpResult cell(String transport, int round, double rate) {
		return new HttpResult(BenchServer.TOMCAT, transport, Workload.JSON_GET.name(), 16, round, (long) (rate * 10), 0,
				10, rate, 1, 2);
	}

}
