package dev.vsock.boot.bench;

import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.vsock.boot.bench.Results.HttpResult;
import dev.vsock.boot.bench.Results.WarmupRound;

/**
 * Whether the JIT's warm-up has ended: the rates of its last rounds no longer above those of the
 * rounds before. One round against the next does not tell, on a shared machine whose rates move
 * by up to 20 % from one round of 82 s to the next once the JIT has done its work (runs 12 and 13,
 * 4 December, never had two rounds in a row within 5 %, so their warm-ups ran to the cap); the
 * mean of three rounds against the three before does: it fell from +50 % or more to within a few
 * percent in both runs at about 1150 s, and stayed within the round-to-round noise after.
 */
final class WarmupEnd {

	private WarmupEnd() {
	}

	/**
	 * How much the rates of the last {@code window} rounds are above those of the {@code window}
	 * rounds before them.
	 * @param rounds the warm-up's rounds so far, each the same cells in the same order
	 * @param window the rounds on each side
	 * @return the geometric mean, over the cells, of each cell's geometric mean rate in the last
	 * rounds against its geometric mean rate in the rounds before (1 when they are level), or
	 * {@code null} with fewer than twice {@code window} rounds, or no cell that answered in all
	 */
	static @Nullable Double trend(List<List<HttpResult>> rounds, int window) {
		return trendOfCells(rounds.stream()
			.map((round) -> round.stream().map(HttpResult::requestsPerSecond).toList())
			.toList(), window);
	}

	/**
	 * How much one rate, taken once a round, is above itself over the rounds before ({@link #trend}
	 * of a single cell): the raw vsock channel's in the warm-up.
	 * @param rates the rate in each round so far
	 * @param window the rounds on each side
	 * @return the geometric mean of the last rates against that of those before, or {@code null}
	 */
	static @Nullable Double trendOfRates(List<Double> rates, int window) {
		return trendOfCells(rates.stream().map(List::of).toList(), window);
	}

	/**
	 * Whether the rates have stopped rising.
	 * @param rounds the warm-up's rounds so far
	 * @param window the rounds on each side ({@link #trend})
	 * @param flat how far above the rounds before the last ones may be, as a fraction
	 * @return whether there are enough rounds and the last ones are less than {@code flat} above
	 */
	static boolean stoppedRising(List<List<HttpResult>> rounds, int window, double flat) {
		Double trend = trend(rounds, window);
		return trend != null && trend < 1 + flat;
	}

	/**
	 * Whether the warm-up has ended: the HTTP cells' rates have stopped rising and, where the raw
	 * vsock channel ran in each round, its rate too (its own code, the benchmark's handlers and a
	 * connection without HTTP, is not what the HTTP cells compile); and, where it was measured, the
	 * JIT no longer compiles. Level rates do not say that on the guest's one CPU: in the run of
	 * 5 December at 05:37 the HTTP cells and the raw channel were level, the raw channel at 15.8
	 * MiB/s round after round, the rate the same transfer had in a JVM of its own while a compile
	 * ran beside it (27 where none did; one compile of 11 s held it at 16 for ten seconds in a row).
	 * @param rounds the warm-up's HTTP rounds so far
	 * @param raw the raw channel's rate in each of those rounds, or none where it did not run
	 * @param compiling the share of each of those rounds' time the JIT's compilers were busy (their
	 * CPU, {@link Results.WarmupRound#compilersBusy}), or none where it was not measured
	 * @param window the rounds on each side ({@link #trend}), and the rounds that must be quiet
	 * @param flat how far above the rounds before the last ones may be, as a fraction
	 * @param quiet the share of its time the JIT may spend compiling in each of the last rounds
	 * @return whether the warm-up has ended
	 */
	static boolean ended(List<List<HttpResult>> rounds, List<Double> raw, List<Double> compiling, int window,
			double flat, double quiet) {
		return stoppedRising(rounds, window, flat) && rawStoppedRising(raw, window, flat)
				&& (compiling.isEmpty() || compiledLittle(compiling, window, quiet));
	}

	/**
	 * Whether one JVM's warm-up has ended ({@link #ended(List, List, List, int, double, double)}),
	 * from its rounds as the run keeps them: the run and the page judge it by this one call.
	 * @param rounds the JVM's warm-up rounds so far
	 * @param window the rounds on each side ({@link #trend}), and the rounds that must be quiet
	 * @param flat how far above the rounds before the last ones may be, as a fraction
	 * @param quiet the share of its time the JIT may spend compiling in each of the last rounds
	 * @return whether the warm-up has ended
	 */
	static boolean ended(List<WarmupRound> rounds, int window, double flat, double quiet) {
		return ended(rounds.stream().map(WarmupRound::cells).toList(), raw(rounds), WarmupRound.compilersBusy(rounds),
				window, flat, quiet);
	}

	/**
	 * Whether the raw vsock channel's rate has stopped rising, as {@link #stoppedRising} for the
	 * HTTP cells.
	 * @param raw its rate in each round so far, or none where it did not run (then it has)
	 * @param window the rounds on each side ({@link #trend})
	 * @param flat how far above the rounds before the last ones may be, as a fraction
	 * @return whether it did not run, or there are enough rounds and the last are less than
	 * {@code flat} above
	 */
	static boolean rawStoppedRising(List<Double> raw, int window, double flat) {
		Double rawTrend = trendOfRates(raw, window);
		return raw.isEmpty() || (rawTrend != null && rawTrend < 1 + flat);
	}

	/**
	 * @param rounds warm-up rounds
	 * @return the raw vsock channel's rate in each of them where it ran
	 */
	static List<Double> raw(List<WarmupRound> rounds) {
		return rounds.stream().map(WarmupRound::rawMibPerSecond).filter(Objects::nonNull).toList();
	}

	/**
	 * Whether the JIT spent less than {@code quiet} of each of the last {@code window} rounds
	 * compiling.
	 * @param compiling the share of each round's time the JIT spent compiling
	 * @param window the rounds that must be quiet
	 * @param quiet the share allowed
	 * @return whether there are enough rounds and each of the last was quiet
	 */
	static boolean compiledLittle(List<Double> compiling, int window, double quiet) {
		return window >= 1 && compiling.size() >= window
				&& compiling.subList(compiling.size() - window, compiling.size()).stream().allMatch((share) -> share < quiet);
	}

	private static @Nullable Double trendOfCells(List<List<Double>> rounds, int window) {
		if (window < 1 || rounds.size() < 2 * window) {
			return null;
		}
		List<List<Double>> before = rounds.subList(rounds.size() - 2 * window, rounds.size() - window);
		List<List<Double>> last = rounds.subList(rounds.size() - window, rounds.size());
		int cells = rounds.stream().mapToInt(List::size).min().orElse(0);
		double logSum = 0;
		int counted = 0;
		for (int cell = 0; cell < cells; cell++) {
			Double then = meanLogRate(before, cell);
			Double now = meanLogRate(last, cell);
			if (then != null && now != null) {
				logSum += now - then;
				counted++;
			}
		}
		return (counted == 0) ? null : Math.exp(logSum / counted);
	}

	private static @Nullable Double meanLogRate(List<List<Double>> rounds, int cell) {
		double sum = 0;
		for (List<Double> round : rounds) {
			double rate = round.get(cell);
			if (!(rate > 0)) {
				return null;
			}
			sum += Math.log(rate);
		}
		return sum / rounds.size();
	}

}
