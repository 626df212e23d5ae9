package dev.vsock.boot.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * How big the guest run is: read from system properties, so that {@code bench/run.sh} can run a
 * small trial and the full size with the same code.
 * @param bulkBytes bytes sent one way in the raw throughput test
 * @param pingRounds measured rounds of the raw ping-pong (a fifth more are run first, unrecorded)
 * @param concurrencies the numbers of keep-alive connections each HTTP cell runs with
 * @param warmupBudget how long every target and workload take turns, before the first cell, so
 * that the JIT has compiled the request paths of client and servers (an emulated CPU runs the
 * interpreter for minutes)
 * @param warmup how long a cell runs before it is measured
 * @param measure how long a cell is measured
 * @param idleConnections connections held open for the memory measurement
 */
record BenchConfig(long bulkBytes, int pingRounds, List<Integer> concurrencies, Duration warmupBudget, Duration warmup,
		Duration measure, int idleConnections) {

	static BenchConfig fromSystemProperties() {
		return new BenchConfig(Long.getLong("bench.bulkMiB", 256) * 1024 * 1024, Integer.getInteger("bench.pingRounds", 5000),
				Arrays.stream(System.getProperty("bench.concurrencies", "1,16,128").split(",")).map(Integer::valueOf).toList(),
				Duration.ofSeconds(Long.getLong("bench.warmupBudgetSeconds", 300)),
				Duration.ofMillis(Long.getLong("bench.warmupMillis", 3000)),
				Duration.ofMillis(Long.getLong("bench.measureMillis", 30000)), Integer.getInteger("bench.idleConnections", 500));
	}

	int maxConcurrency() {
		return this.concurrencies.stream().mapToInt(Integer::intValue).max().orElse(1);
	}

}
