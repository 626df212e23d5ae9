package dev.vsock.boot.bench;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The figures the benchmark writes as JSON and the report reads back: one record per kind of
 * measurement.
 */
final class Results {

	private Results() {
	}

	/** Everything measured in the guest. */
	record Guest(Map<String, String> environment, BenchConfig config, List<RawResult> raw, List<WarmupRound> warmup,
			List<HttpResult> http, List<RawRound> rawRounds, List<IdleResult> idle, List<MetricsResult> metrics) {

		Guest {
			// Results written before the raw channel ran inside the rounds have none.
			rawRounds = (rawRounds != null) ? rawRounds : List.of();
		}

	}

	/**
	 * The raw vsock channel's bulk transfer timed inside a round of the matrix, among the targets of
	 * a 1 MiB POST row in their random order, so that a POST cell is set against the raw limit of
	 * the same moment, as vsock is against TCP; one per turn, {@link BenchConfig#rawTurns()} turns a
	 * round.
	 * @param concurrency the row's connections
	 * @param round the round, from 1
	 * @param mibPerSecond the raw channel's rate
	 */
	record RawRound(int concurrency, int round, double mibPerSecond) {
	}

	/**
	 * One round of the JIT warm-up: every target and workload once, in short cells.
	 * @param round the round, from 1 in each fork
	 * @param endSeconds seconds since the fork's warm-up began, at the round's end
	 * @param change the geometric mean, over the round's cells, of each cell's rate divided by the
	 * same cell's rate in the round before (1 for the first round): 1 when rates have levelled off
	 * @param cells the round's cells
	 * @param fork the JVM that ran it, from 1 (0 in results written before forks existed)
	 * @param trend the rates of the fork's last rounds against as many before ({@link WarmupEnd}),
	 * or {@code null} before there were enough rounds, and in results written before it existed
	 * @param rawMibPerSecond the raw vsock channel's rate in the round ({@link
	 * BenchConfig#rawWarmupBytes()}), or {@code null} where it did not run
	 * @param rawTrend its rate in the fork's last rounds against as many before, or {@code null}
	 * @param compiling the JIT's compile time in the round against the round's time (its compiler
	 * threads' time summed, as {@link java.lang.management.CompilationMXBean} counts it, so it can
	 * pass 1; a compile waiting for the CPU counts as compiling), or {@code null} where it was not
	 * measured
	 * @param compilerCpu the CPU time the compiler threads used in the round against the round's time
	 * ({@link CompilerThreads}), or {@code null} where it was not measured and in results written
	 * before it was
	 * @param queued the methods waiting for a compiler at the round's end, or {@code null} where it
	 * was not measured
	 */
	record WarmupRound(int round, double endSeconds, double change, List<HttpResult> cells, int fork,
			@Nullable Double trend, @Nullable Double rawMibPerSecond, @Nullable Double rawTrend,
			@Nullable Double compiling, @Nullable Double compilerCpu, @Nullable Integer queued) {

		/**
		 * What the warm-up's JIT rule reads ({@link WarmupEnd#ended}): the compilers' CPU where it
		 * was measured, JMX's compile time in results written before.
		 * @param rounds a fork's rounds
		 * @return each round's share, where measured
		 */
		static List<Double> compilersBusy(List<WarmupRound> rounds) {
			return rounds.stream()
				.map(compilersTimed(rounds) ? WarmupRound::compilerCpu : WarmupRound::compiling)
				.filter(Objects::nonNull)
				.toList();
		}

		/**
		 * @param rounds a fork's rounds, or a run's
		 * @return whether the compilers' CPU was measured in any of them (results written before it
		 * have JMX's compile time only)
		 */
		static boolean compilersTimed(List<WarmupRound> rounds) {
			return rounds.stream().anyMatch((round) -> round.compilerCpu() != null);
		}

	}

	/** Raw channel figures of one transport. */
	record RawResult(String transport, long bulkBytes, double bulkSeconds, double mibPerSecond, int pingRounds,
			double pingP50Micros, double pingP99Micros) {
	}

	/**
	 * One HTTP cell: a server, a transport, a workload and a number of connections, in one round of
	 * the matrix (0 for cells outside it: the warm-up, the meters' cost, the profiles).
	 */
	record HttpResult(String server, String transport, String workload, int concurrency, int round, long requests,
			long errors, double seconds, double requestsPerSecond, double p50Millis, double p99Millis) {

		double mibPerSecond(long bodyBytes) {
			return this.requestsPerSecond * bodyBytes / (1024.0 * 1024.0);
		}

		/**
		 * How much the rates changed from one list of cells to another, the same cells in the same
		 * order: the geometric mean of each cell's rate divided by its rate before.
		 * @param before the cells before
		 * @param after the same cells after
		 * @return the change, 1 when nothing can be compared
		 */
		static double rateChange(List<HttpResult> before, List<HttpResult> after) {
			double logSum = 0;
			int count = 0;
			for (int i = 0; i < Math.min(before.size(), after.size()); i++) {
				double then = before.get(i).requestsPerSecond();
				double now = after.get(i).requestsPerSecond();
				if (then > 0 && now > 0) {
					logSum += Math.log(now / then);
					count++;
				}
			}
			return (count == 0) ? 1 : Math.exp(logSum / count);
		}

	}

	/**
	 * Memory of a server process before and after it holds idle keep-alive connections over one
	 * transport.
	 * @param server the server kind
	 * @param transport {@code vsock} or {@code tcp}
	 * @param connections the connections opened
	 * @param answered how many of them had their request answered and were still open at the end
	 * @param heapBefore heap after a full collection, before
	 * @param heapAfter heap after a full collection, with the connections open
	 * @param directBefore direct memory (the JDK's buffer pool and Netty's own count), before
	 * @param directAfter direct memory, with the connections open
	 * @param rssBefore resident set, before
	 * @param rssAfter resident set, with the connections open
	 * @param slabBefore the guest kernel's slab, before
	 * @param slabAfter the guest kernel's slab, with the connections open
	 * @param openSeconds how long opening the connections and their requests took
	 */
	record IdleResult(String server, String transport, int connections, int answered, long heapBefore, long heapAfter,
			long directBefore, long directAfter, long rssBefore, long rssAfter, long slabBefore, long slabAfter,
			double openSeconds) {
	}

	/** One run of the same cell with the vsock meters bound to a registry or not. */
	record MetricsResult(String server, boolean bound, int round, double requestsPerSecond,
			Map<String, Double> meters) {
	}

	/** Start-up times of fresh JVMs, in milliseconds, with the starter on the class path and without. */
	record Startup(Map<String, String> environment, List<StartupRun> runs, @Nullable List<StartupRun> epollRuns) {

		/**
		 * The runs that timed loading the epoll transport in {@code main}: the unpaired extra runs,
		 * or, in results from before they existed, the paired runs, which all timed it.
		 * @return the runs with an epoll time
		 */
		List<StartupRun> epollTimed() {
			return hasEpollRuns() ? this.epollRuns : this.runs;
		}

		/**
		 * Whether the epoll transport was timed in runs of its own, after the pairs.
		 * @return whether there are such runs
		 */
		boolean hasEpollRuns() {
			return this.epollRuns != null && !this.epollRuns.isEmpty();
		}

	}

	/**
	 * One fresh JVM's start-up.
	 * @param withStarter whether the starter's jars were on the class path
	 * @param jvmUptimeMillis the JVM's uptime when the application was ready
	 * @param springMillis Spring Boot's own time to ready
	 * @param vsockPort the vsock port the application listened on, or {@code none}
	 * @param epollMillis loading Netty's epoll transport, or {@code null} without the starter or when
	 * it was not timed
	 * @param factoryMillis creating the reactive web server factory (the starter's or Spring Boot's)
	 * and what it needed first
	 * @param starterBeanMillis creating the starter's other beans (0 without it)
	 * @param cpuMillis the process's CPU time, every thread's, when the application was ready, or
	 * {@code null} in results from before it was read
	 */
	record StartupRun(boolean withStarter, long jvmUptimeMillis, long springMillis, String vsockPort, Double epollMillis,
			double factoryMillis, double starterBeanMillis, @Nullable Double cpuMillis) {
	}

}
