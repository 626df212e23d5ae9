package dev.vsock.boot.bench;

import java.util.List;

/**
 * A figure over the rounds of a cell: its median, lowest and highest round, and the verdict it
 * gives against a target, which needs every round on the same side.
 * @param values the rounds' values, sorted
 */
record Spread(List<Double> values) {

	static Spread of(List<Double> values) {
		return new Spread(values.stream().sorted().toList());
	}

	boolean isEmpty() {
		return this.values.isEmpty();
	}

	double median() {
		int n = this.values.size();
		if (n == 0) {
			return Double.NaN;
		}
		return (n % 2 == 1) ? this.values.get(n / 2) : (this.values.get(n / 2 - 1) + this.values.get(n / 2)) / 2;
	}

	double min() {
		return isEmpty() ? Double.NaN : this.values.get(0);
	}

	double max() {
		return isEmpty() ? Double.NaN : this.values.get(this.values.size() - 1);
	}

	/**
	 * The same figure multiplied by a factor.
	 * @param factor the factor
	 * @return the scaled spread
	 */
	Spread scaled(double factor) {
		return of(this.values.stream().map((v) -> v * factor).toList());
	}

	/**
	 * The verdict against a target the figure should reach.
	 * @param target the target
	 * @return {@code met} when every round reaches it, {@code missed} when none does,
	 * {@code inconclusive} when the rounds straddle it, {@code not measured} without rounds
	 */
	String verdict(double target) {
		if (isEmpty()) {
			return "not measured";
		}
		return (min() >= target) ? "met" : (max() < target) ? "missed" : "inconclusive";
	}

	/**
	 * The ratios as percentages: the median, then the lowest and highest round.
	 * @return for example {@code 107 % (98–112)}, or an empty string without rounds
	 */
	String percentages() {
		if (isEmpty()) {
			return "";
		}
		return String.format("%.0f %% (%.0f–%.0f)", median() * 100, min() * 100, max() * 100);
	}

	/**
	 * The ratios as multiples: the median, then the lowest and highest round.
	 * @return for example {@code 1.58× (1.41–1.70)}, or an empty string without rounds
	 */
	String times() {
		if (isEmpty()) {
			return "";
		}
		return String.format("%.2f× (%.2f–%.2f)", median(), min(), max());
	}

}
