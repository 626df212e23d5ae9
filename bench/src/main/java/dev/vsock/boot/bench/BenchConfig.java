package dev.vsock.boot.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * How big the guest run is: read from system properties, so that {@code bench/run.sh} can run a
 * small trial and the full size with the same code.
 * @param bulkBytes bytes sent one way in the raw throughput test
 * @param pingRounds measured rounds of the raw ping-pong (a fifth more are run first, unrecorded)
 * @param concurrencies the numbers of keep-alive connections each HTTP cell runs with
 * @param warmupBudget how long every target and workload take turns at least, before the first
 * cell, so that the JIT has compiled the request paths of client and servers (an emulated CPU runs
 * the interpreter for minutes); the turns go on, up to twice as long, until two rounds in a row
 * changed the rates by less than {@code warmupFlat}. 900 s by default: in the test guest the
 * rates levelled off after about 12 minutes (a trial on 3 December: from the ninth round, at
 * 727 s, every change but one within 5 %; it ended flat at 1129 s), where 240 s ended the last
 * full runs at their cap with the rates still rising
 * @param warmupFlat the change of the rates from one warm-up round to the next, as a fraction,
 * under which they count as flat
 * @param rounds how many times each cell of the matrix runs, in a new random order each round. 5
 * by default: a verdict needs every round on one side of the target, and the range of five rounds
 * holds a cell's median 15 times in 16 (three rounds': 3 times in 4), so a cell near its target
 * comes out inconclusive run after run instead of met or missed by chance
 * @param seed the seed of that order, so that a run can be repeated
 * @param warmup how long a cell runs before it is measured
 * @param measure how long a cell is measured: 6 s by default, so that five rounds take about as
 * long as three of 10 s did, and the targets of a row are measured closer together in time
 * @param idleConnections connections held open for the memory measurement
 * @param bufferSize the vsock buffer size of the extra targets that compare buffer sizes (server
 * and client), in bytes
 * @param leadInRound whether a row at a connection count the warm-up did not run (it runs 16)
 * starts with a round that is not kept: in the run of 3 December 06:52 the first turns at 128
 * connections still ran faster one after the other (707, 724, 761, 855 req/s), where the
 * following rounds were flat (false in results written before it existed)
 * @param settleLimit how long, after each turn of the matrix, the next waits at most for the
 * connections the turn closed to be gone (every vsock listener with none open, every relay without
 * forked children); zero not to wait, null in results written before it existed
 * @param rawLeadBytes the bytes the raw vsock channel's turn in a round sends unmeasured before its
 * timed transfer, as each HTTP cell has its warm-up: in the runs of 3 December the timed transfer
 * alone came out at 50 to 69 MiB/s in some turns against 72 to 102 in the rest (0 in results
 * written before it existed)
 * @param slices the most slices each target's measured time in a cell is cut into, the targets of
 * a server taking turns slice by slice ({@link SlicePlan}): 6 by default, slices of 1 s where the
 * responses are fast; 0 in results written before it existed, when each target ran its cell as
 * one turn of its own, the targets of a row in random order
 */
record BenchConfig(long bulkBytes, int pingRounds, List<Integer> concurrencies, Duration warmupBudget,
		double warmupFlat, int rounds, long seed, Duration warmup, Duration measure, int idleConnections,
		long bufferSize, boolean leadInRound, @Nullable Duration settleLimit, long rawLeadBytes, int slices) {

	static BenchConfig fromSystemProperties() {
		return new BenchConfig(Long.getLong("bench.bulkMiB", 256) * 1024 * 1024, Integer.getInteger("bench.pingRounds", 5000),
				Arrays.stream(System.getProperty("bench.concurrencies", "1,16,128").split(",")).map(Integer::valueOf).toList(),
				Duration.ofSeconds(Long.getLong("bench.warmupBudgetSeconds", 900)),
				Double.parseDouble(System.getProperty("bench.warmupFlat", "0.05")), Integer.getInteger("bench.rounds", 5),
				Long.getLong("bench.seed", System.nanoTime()), Duration.ofMillis(Long.getLong("bench.warmupMillis", 2000)),
				Duration.ofMillis(Long.getLong("bench.measureMillis", 6000)), Integer.getInteger("bench.idleConnections", 10000),
				Long.getLong("bench.bufferSize", 1024 * 1024),
				Boolean.parseBoolean(System.getProperty("bench.leadInRound", "true")),
				Duration.ofSeconds(Long.getLong("bench.settleSeconds", 30)),
				Long.getLong("bench.rawLeadMiB", Long.getLong("bench.bulkMiB", 256) / 8) * 1024 * 1024,
				Math.max(1, Integer.getInteger("bench.slices", 6)));
	}

	int maxConcurrency() {
		return this.concurrencies.stream().mapToInt(Integer::intValue).max().orElse(1);
	}

}
