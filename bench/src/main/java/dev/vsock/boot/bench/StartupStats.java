package dev.vsock.boot.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Summary statistics of a sample of start-up times in milliseconds.
 * @param count the sample size
 * @param median the median
 * @param mean the mean
 * @param stdev the sample standard deviation
 * @param min the fastest
 */
record StartupStats(int count, double median, double mean, double stdev, double min) {

	static StartupStats of(List<? extends Number> millis) {
		double[] values = millis.stream().mapToDouble(Number::doubleValue).sorted().toArray();
		int n = values.length;
		if (n == 0) {
			return new StartupStats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
		}
		double median = (n % 2 == 1) ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
		double mean = Arrays.stream(values).average().orElse(Double.NaN);
		double squares = Arrays.stream(values).map((v) -> (v - mean) * (v - mean)).sum();
		double stdev = (n > 1) ? Math.sqrt(squares / (n - 1)) : 0;
		return new StartupStats(n, median, mean, stdev, values[0]);
	}

	/**
	 * The half-width of an approximate 95 % confidence interval of this sample's mean (normal
	 * quantile): for a sample of paired differences, the interval of the mean difference.
	 * @return the half-width in milliseconds
	 */
	double meanMargin() {
		return 1.96 * this.stdev / Math.sqrt(this.count);
	}

}
