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
 * the interpreter for minutes); the turns go on, up to twice as long, until the rates stopped
 * rising ({@code warmupWindow}). 900 s by default: in the test guest the rates rose for 13 to 15
 * rounds of about 82 s (runs 11 to 13, 4 December), and then moved by up to 20 % either way from
 * round to round without rising further
 * @param warmupFlat the change of the rates, as a fraction, under which they count as flat (with
 * {@code warmupWindow} 0) or as no longer rising
 * @param warmupWindow how many warm-up rounds are set against as many before them: the warm-up
 * ends once the last ones' rates are not {@code warmupFlat} above those before ({@link
 * WarmupEnd}). 3 by default: over three rounds the round-to-round noise of the shared machine
 * (runs 12 and 13 ended their warm-ups at the cap of 1800 s, two rounds in a row never within
 * 5 %, where their rates had stopped rising at 1150 s) averages out enough. 0 in results written
 * before it existed, when the warm-up waited for two rounds in a row each within {@code warmupFlat}
 * of the round before
 * @param forks how many JVMs in turn run the matrix in the guest, each with its own servers,
 * warm-up and {@code rounds} rounds, as JMH's forks: two runs of one JVM each (runs 12 and 13)
 * disagreed by more than their rounds' ranges (Tomcat over vsock at one connection 569 and 862
 * req/s, over TCP 554 and 602), so what one JVM's JIT made of the code is part of a cell's spread,
 * which only rounds in several JVMs show. 2 by default, as a run of three (each warm-up 20 minutes
 * on the emulated CPU) would take over two and a half hours; 0 in results written before it
 * existed (one JVM)
 * @param rounds how many times each cell of the matrix runs in each fork, in a new random order
 * each round: 2 by default, so four rounds in two JVMs. A verdict needs every round on one side of
 * the target. With one JVM the default was 5: the range of five rounds holds a cell's median 15
 * times in 16, but not the part fixed for the JVM
 * @param seed the seed of that order (each fork's adds its number), so that a run can be repeated
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
 * @param rawTurns how many times the raw vsock channel runs in each round of a 1 MiB POST row,
 * each turn at a random place among the row's cells, the round's reference being their bytes over
 * their time: 2 by default, as one turn a round gave 15.6 to 27.0 MiB/s in the runs of 5 December
 * where the POST cells beside it moved far less; 0 in results written before it existed (one turn)
 * @param rawWarmupTurns how many turns of the raw vsock channel each fork runs, not kept, after
 * the warm-up and before the first cell: the HTTP cells do not run the raw channel's own code, and
 * in both runs of 5 December at 00:04 its first turn in the fork was the slowest of the run (15.6
 * MiB/s against 18.5 to 27.0 after it). 2 in the runs of 5 December at 02:54, whose turns showed
 * that two were not enough (15.6 and 18.1, 15.6 and 15.8, the first kept ones 19.3 to 25.8); 0 by
 * default since the raw channel runs in the warm-up ({@code rawWarmupBytes}), and in results written
 * before it existed
 * @param rawWarmupBytes the bytes the raw vsock channel sends in each round of the warm-up, timed,
 * the warm-up going on until its rate too has stopped rising ({@link WarmupEnd#ended}): an eighth of
 * {@code bulkBytes} by default, 0 for none (and in results written before it existed)
 * @param warmupCompiling how much of each of its last {@code warmupWindow} rounds' time the JIT's
 * compiler threads may use in CPU for the warm-up to end ({@link WarmupEnd#ended}, {@link
 * CompilerThreads}; in results written before that was measured, JMX's compile time, which in the
 * run of 5 December at 08:44 stayed at about 100 % of every round as it counts a compile waiting
 * for the CPU): 5 % by default, as on the guest's one CPU a compile slows what runs beside it and
 * rates can be level while the compilers still run (the run of 5 December at 05:37); 0 in results
 * written before it existed
 */
record BenchConfig(long bulkBytes, int pingRounds, List<Integer> concurrencies, Duration warmupBudget,
		double warmupFlat, int rounds, long seed, Duration warmup, Duration measure, int idleConnections,
		long bufferSize, boolean leadInRound, @Nullable Duration settleLimit, long rawLeadBytes, int slices,
		int warmupWindow, int forks, int rawTurns, int rawWarmupTurns, long rawWarmupBytes, double warmupCompiling) {

	static BenchConfig fromSystemProperties() {
		return new BenchConfig(Long.getLong("bench.bulkMiB", 256) * 1024 * 1024, Integer.getInteger("bench.pingRounds", 5000),
				Arrays.stream(System.getProperty("bench.concurrencies", "1,16,128").split(",")).map(Integer::valueOf).toList(),
				Duration.ofSeconds(Long.getLong("bench.warmupBudgetSeconds", 900)),
				Double.parseDouble(System.getProperty("bench.warmupFlat", "0.05")), Integer.getInteger("bench.rounds", 2),
				Long.getLong("bench.seed", System.nanoTime()), Duration.ofMillis(Long.getLong("bench.warmupMillis", 2000)),
				Duration.ofMillis(Long.getLong("bench.measureMillis", 6000)), Integer.getInteger("bench.idleConnections", 10000),
				Long.getLong("bench.bufferSize", 1024 * 1024),
				Boolean.parseBoolean(System.getProperty("bench.leadInRound", "true")),
				Duration.ofSeconds(Long.getLong("bench.settleSeconds", 30)),
				Long.getLong("bench.rawLeadMiB", Long.getLong("bench.bulkMiB", 256) / 8) * 1024 * 1024,
				Math.max(1, Integer.getInteger("bench.slices", 6)), Math.max(0, Integer.getInteger("bench.warmupWindow", 3)),
				Math.max(1, Integer.getInteger("bench.forks", 2)), Math.max(1, Integer.getInteger("bench.rawTurns", 2)),
				Math.max(0, Integer.getInteger("bench.rawWarmupTurns", 0)),
				Long.getLong("bench.rawWarmupMiB", Long.getLong("bench.bulkMiB", 256) / 8) * 1024 * 1024,
				Double.parseDouble(System.getProperty("bench.warmupCompiling", "0.05")));
	}

	/**
	 * @return the JVMs that ran the matrix: 1 in results written before forks existed
	 */
	int jvms() {
		return Math.max(1, this.forks);
	}

	/**
	 * @return the rounds of each cell over all forks, numbered from 1 across them
	 */
	int totalRounds() {
		return jvms() * this.rounds;
	}

	/**
	 * @param round a round of the matrix, from 1 across the forks
	 * @return the fork it ran in, from 1
	 */
	int forkOf(int round) {
		return (round - 1) / this.rounds + 1;
	}

	int maxConcurrency() {
		return this.concurrencies.stream().mapToInt(Integer::intValue).max().orElse(1);
	}

}
