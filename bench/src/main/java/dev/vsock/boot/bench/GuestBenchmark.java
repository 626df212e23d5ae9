package dev.vsock.boot.bench;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import org.jspecify.annotations.Nullable;
import reactor.netty.ReactorNetty;

import dev.vsock.boot.bench.Results.HttpResult;
import dev.vsock.boot.bench.Results.IdleResult;
import dev.vsock.boot.bench.Results.MetricsResult;
import dev.vsock.boot.bench.Results.RawResult;
import dev.vsock.boot.bench.Results.RawRound;
import dev.vsock.boot.bench.Results.WarmupRound;

/**
 * The benchmark's guest half, run inside the QEMU guest where CID 1 loops back: raw channels,
 * memory per idle connection, the HTTP matrix, the meters' cost and profiles of four cells (last:
 * a plus, not a figure); writes everything to the JSON file named by its argument. The matrix runs
 * in forks: this class again, in JVMs of their own one after the other, with the fork's number as
 * a second argument.
 */
public final class GuestBenchmark {

	/** The vsock ports the socat relays listen on, one per server; free in the guest. */
	private static final long SOCAT_FIRST_PORT = 52000;

	/** The connections of every warm-up cell. */
	static final int WARMUP_CONNECTIONS = 16;

	private final BenchConfig config;

	private final Path resultsDirectory;

	private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());

	private GuestBenchmark(BenchConfig config, Path resultsDirectory) {
		this.config = config;
		this.resultsDirectory = resultsDirectory;
	}

	public static void main(String[] args) throws Exception {
		// A vsock connect() outside the test guest reaches the machine's host, which is not ours.
		if (!"1".equals(System.getenv("VSOCK_GUEST"))) {
			throw new IllegalStateException("GuestBenchmark connects over vsock and runs only inside the test guest "
					+ "(VSOCK_GUEST=1); run bench/run.sh, which boots the guest with guest/run.sh");
		}
		BenchConfig config = BenchConfig.fromSystemProperties();
		// The shared pool must never make a worker wait: each cell opens exactly its concurrency.
		System.setProperty(ReactorNetty.POOL_MAX_CONNECTIONS, Integer.toString(config.maxConcurrency()));
		Path output = Path.of(args[0]);
		GuestBenchmark benchmark = new GuestBenchmark(config, output.getParent());
		ResultsFile.write(output, (args.length > 1) ? benchmark.fork(Integer.parseInt(args[1]), output)
				: benchmark.run(output));
		System.out.println("bench: wrote " + output);
		System.exit(0);
	}

	private Results.Guest run(Path output) throws Exception {
		Map<String, String> environment = EnvironmentFacts.current();
		log("environment " + environment);
		List<RawResult> raw = new ArrayList<>();
		List<WarmupRound> warmup = new ArrayList<>();
		List<HttpResult> http = new ArrayList<>();
		List<RawRound> rawRounds = new ArrayList<>();
		List<MetricsResult> metrics = new ArrayList<>();
		List<IdleResult> idle = new ArrayList<>();
		// One object, filled as the run goes and written after each stage: a run cut short by the
		// guest's time limit still leaves what it measured.
		Results.Guest results = new Results.Guest(environment, this.config, raw, warmup, http, rawRounds, idle, metrics);
		RawBenchmark rawBenchmark = new RawBenchmark(this.group, this.config);
		// Two rounds, the first not kept: the transports share Netty's read and write paths, so
		// whichever ran first would otherwise run on less compiled code than the others.
		for (RawTransport transport : RawTransport.values()) {
			log("raw warm-up round: " + rawBenchmark.run(transport));
		}
		for (RawTransport transport : RawTransport.values()) {
			raw.add(log(rawBenchmark.run(transport)));
		}
		ResultsFile.write(output, results);
		// Before the servers of the matrix start: the idle servers run in JVMs of their own.
		IdleConnectionBenchmark idleBenchmark = new IdleConnectionBenchmark(this.group, this.config.idleConnections());
		for (String kind : List.of(BenchServer.TOMCAT, BenchServer.REACTOR_NETTY)) {
			for (String transport : List.of("vsock", "tcp")) {
				idle.add(log(idleBenchmark.run(kind, transport)));
				ResultsFile.write(output, results);
			}
		}
		ResultsFile.write(output, results);
		// The matrix in JVMs of their own, one after the other, each with its own servers and
		// warm-up, so that what one JVM's JIT made of the code shows in the rounds' spread.
		for (int fork = 1; fork <= this.config.jvms(); fork++) {
			Path forkOutput = this.resultsDirectory.resolve("guest-fork-" + fork + ".json");
			runFork(fork, forkOutput);
			Results.Guest forked = ResultsFile.read(forkOutput, Results.Guest.class);
			warmup.addAll(forked.warmup());
			http.addAll(forked.http());
			rawRounds.addAll(forked.rawRounds());
			metrics.addAll(forked.metrics());
			ResultsFile.write(output, results);
		}
		return results;
	}

	/**
	 * Starts one fork of the matrix in a JVM of its own, with this JVM's options and class path, and
	 * waits for it.
	 */
	private void runFork(int fork, Path forkOutput) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(ProcessHandle.current().info().command().orElse("java"));
		command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
		// The seed this JVM drew, so that the forks' orders follow from the run's one seed.
		command.add("-Dbench.seed=" + this.config.seed());
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), GuestBenchmark.class.getName(),
				forkOutput.toString(), Integer.toString(fork)));
		log("fork " + fork + " of " + this.config.jvms() + ": starting a JVM for the matrix");
		int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
		if (exit != 0) {
			throw new IllegalStateException("Fork " + fork + " of the matrix exited with " + exit);
		}
	}

	/**
	 * One fork of the matrix, in a JVM of its own: the servers, their warm-up and
	 * {@link BenchConfig#rounds()} rounds of every cell, numbered after the forks before it; the last
	 * fork also measures the meters' cost and records the profiles.
	 */
	private Results.Guest fork(int fork, Path output) throws Exception {
		List<WarmupRound> warmup = new ArrayList<>();
		List<HttpResult> http = new ArrayList<>();
		List<RawRound> rawRounds = new ArrayList<>();
		List<MetricsResult> metrics = new ArrayList<>();
		Results.Guest results = new Results.Guest(EnvironmentFacts.current(), this.config, List.of(), warmup, http,
				rawRounds, List.of(), metrics);
		Profiler profiler = new Profiler(this.resultsDirectory);
		RawBenchmark rawBenchmark = new RawBenchmark(this.group, this.config);
		int roundsBefore = (fork - 1) * this.config.rounds();
		boolean last = fork == this.config.jvms();
		List<BenchServer> servers = List.of(BenchServer.start(BenchServer.TOMCAT, true),
				BenchServer.start(BenchServer.REACTOR_NETTY, true));
		// The same servers again, vsock only, with larger buffers (server.vsock.buffer-size).
		List<BenchServer> buffered = List.of(BenchServer.start(BenchServer.TOMCAT, false, this.config.bufferSize()),
				BenchServer.start(BenchServer.REACTOR_NETTY, false, this.config.bufferSize()));
		List<BenchServer> allServers = Stream.concat(servers.stream(), buffered.stream()).toList();
		List<SocatRelay> relays = new ArrayList<>();
		try {
			List<HttpTarget> targets = new ArrayList<>();
			for (int i = 0; i < servers.size(); i++) {
				BenchServer server = servers.get(i);
				SocatRelay relay = SocatRelay.start(SOCAT_FIRST_PORT + relays.size(), server.tcpPort());
				relays.add(relay);
				targets.addAll(List.of(HttpTarget.vsock(server), HttpTarget.tcp(server), HttpTarget.socat(server, relay),
						HttpTarget.vsockWithBuffers(buffered.get(i), this.config.bufferSize())));
			}
			LoadGenerator load = new LoadGenerator(this.config.warmup(), this.config.measure());
			warmUp(targets, rawBenchmark, warmup, fork);
			// Turns of the raw channel not kept, where the run asks for them (none by default).
			for (int turn = 1; turn <= this.config.rawWarmupTurns(); turn++) {
				log(String.format("raw warm-up turn %d of %d: %.1f MiB/s", turn, this.config.rawWarmupTurns(),
						rawBenchmark.bulk(RawTransport.VSOCK)));
			}
			ResultsFile.write(output, results);
			// In each round a server's targets share one interleaved cell (SlicePlan), so that they
			// are measured in the same seconds; the servers' cells (and a POST row's raw channel) run
			// in a new random order, the targets within a cell too, so that neither a slow spell of
			// the shared machine nor the JIT favours whichever would otherwise run first; the rounds
			// give each cell its spread.
			Random order = new Random(this.config.seed() + fork);
			for (Workload workload : Workload.values()) {
				for (int concurrency : this.config.concurrencies()) {
					if (!workload.runsAt(concurrency)) {
						continue;
					}
					// A row at a connection count the warm-up did not run starts with a round that
					// is not kept (round 0): the first turns at a new load still ran faster one after
					// the other (new code paths for the JIT, Tomcat's worker threads past 16).
					int firstRound = (this.config.leadInRound() && concurrency != WARMUP_CONNECTIONS) ? 0 : 1;
					for (int round = firstRound; round <= this.config.rounds(); round++) {
						boolean kept = round > 0;
						int thisRound = kept ? roundsBefore + round : 0;
						// A POST row's bulk is judged against the raw vsock channel of the same
						// round, which takes its turns among the row's cells.
						List<Step> row = new ArrayList<>();
						for (BenchServer server : servers) {
							List<HttpTarget> cell = new ArrayList<>(targets.stream()
								.filter((target) -> target.server().equals(server.kind()) && workload.runsAgainst(target))
								.toList());
							Collections.shuffle(cell, order);
							row.add(() -> {
								List<HttpResult> cellResults = load.interleave(cell, workload, concurrency, thisRound,
										this.config.slices());
								cellResults.forEach(GuestBenchmark::log);
								if (kept) {
									http.addAll(cellResults);
								}
							});
						}
						if (workload == Workload.POST_1MIB && kept) {
							for (int turn = 0; turn < this.config.rawTurns(); turn++) {
								row.add(() -> rawRounds.add(log(
										new RawRound(concurrency, thisRound, rawBenchmark.bulk(RawTransport.VSOCK)))));
							}
						}
						Collections.shuffle(row, order);
						for (Step step : row) {
							step.run();
							settle(allServers, relays, this.config.settleLimit());
						}
						ResultsFile.write(output, results);
					}
				}
			}
			if (!last) {
				return results;
			}
			MetricsCostBenchmark meters = new MetricsCostBenchmark(load);
			for (BenchServer server : servers) {
				metrics.addAll(log(meters.run(server)));
			}
			ResultsFile.write(output, results);
			profiler.prepare();
			for (HttpTarget target : targets) {
				if (List.of("vsock", "tcp").contains(target.transport())) {
					String name = "profile-" + target.server() + "-" + target.transport();
					log(profiler.record(name, () -> load.run(target, Workload.JSON_GET, 16)));
				}
			}
		}
		finally {
			relays.forEach(SocatRelay::stop);
			servers.forEach(BenchServer::stop);
			buffered.forEach(BenchServer::stop);
		}
		return results;
	}

	/**
	 * Waits, after a turn of the matrix, until the connections it closed are gone: every server's
	 * vsock listener has none open and every relay has no forked socat left, so that no turn runs
	 * beside connections of the turn before. The runs up to 3 December 06:52 had such connections
	 * (the vsock client's pool was not emptied between cells, and idle connections, through the
	 * relay a forked socat each, lived on for a minute or more into later turns); this wait and
	 * the emptied pool together make sure of it, and log every time a turn had to wait or gave up.
	 */
	private static void settle(List<BenchServer> servers, List<SocatRelay> relays, @Nullable Duration limit)
			throws InterruptedException {
		if (limit == null || limit.isZero()) {
			return;
		}
		long start = System.nanoTime();
		long deadline = start + limit.toNanos();
		@Nullable List<String> first = null;
		while (true) {
			List<String> busy = new ArrayList<>();
			for (BenchServer server : servers) {
				if (server.openVsockConnections() > 0) {
					busy.add(server.kind() + " on vsock port " + server.vsockPort());
				}
			}
			for (SocatRelay relay : relays) {
				if (relay.hasChildren()) {
					busy.add("the relay on vsock port " + relay.vsockPort());
				}
			}
			if (busy.isEmpty()) {
				if (first != null) {
					log("settle: " + (System.nanoTime() - start) / 1_000_000 + " ms until closed: " + first);
				}
				return;
			}
			first = (first != null) ? first : busy;
			if (System.nanoTime() > deadline) {
				log("settle: still open after " + limit + ": " + busy);
				return;
			}
			Thread.sleep(50);
		}
	}

	/** One target's turn in a row of the matrix. */
	@FunctionalInterface
	private interface Step {

		void run() throws Exception;

	}

	/**
	 * Every target and both workloads take turns in short cells, so that the JIT has compiled the
	 * shared paths of client and servers before any cell counts, and the raw vsock channel one
	 * transfer a round: for the warm-up budget at least, then until the rates, the raw channel's
	 * too, stopped rising ({@link WarmupEnd#ended}; with a window of 0, until two rounds
	 * in a row changed the rates by less than the flat threshold) and the JIT has stopped
	 * compiling, or twice the budget has passed. Each round is kept, so that the page shows the
	 * rates levelling off.
	 */
	private void warmUp(List<HttpTarget> targets, RawBenchmark rawBenchmark, List<WarmupRound> rounds, int fork)
			throws Exception {
		LoadGenerator brief = new LoadGenerator(Duration.ofSeconds(1), Duration.ofSeconds(3));
		long start = System.nanoTime();
		long budget = this.config.warmupBudget().toNanos();
		int flatRounds = 0;
		int firstOfFork = rounds.size();
		List<List<HttpResult>> all = new ArrayList<>();
		// The raw channel's own code (its handlers, its connection) is not what the HTTP cells run:
		// it warms up beside them, or its turns in the POST rows would start cold.
		List<Double> raw = new ArrayList<>();
		// On the guest's one CPU a compile slows whatever runs beside it: the rates can be level
		// while the compilers still take a steady share of the CPU, so the warm-up waits for them
		// (their CPU time; JMX's compile time, which counts a compile waiting for the CPU, is kept
		// beside it).
		CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
		boolean jitTimed = jit != null && jit.isCompilationTimeMonitoringSupported();
		boolean ended;
		do {
			long roundStart = System.nanoTime();
			long compiledBefore = jitTimed ? jit.getTotalCompilationTime() : 0;
			Long compilerCpuBefore = CompilerThreads.cpuNanos();
			List<HttpResult> cells = new ArrayList<>();
			for (HttpTarget target : targets) {
				for (Workload workload : Workload.values()) {
					if (workload.runsAgainst(target)) {
						cells.add(brief.run(target, workload, WARMUP_CONNECTIONS));
					}
				}
			}
			Double rawRate = (this.config.rawWarmupBytes() > 0)
					? rawBenchmark.transfer(RawTransport.VSOCK, this.config.rawWarmupBytes()) : null;
			if (rawRate != null) {
				raw.add(rawRate);
			}
			long roundNanos = System.nanoTime() - roundStart;
			Double compiled = jitTimed ? (jit.getTotalCompilationTime() - compiledBefore) * 1e6 / roundNanos : null;
			Long compilerCpuAfter = CompilerThreads.cpuNanos();
			Double compilerCpu = (compilerCpuBefore != null && compilerCpuAfter != null)
					? Math.max(0, compilerCpuAfter - compilerCpuBefore) / (double) roundNanos : null;
			Integer queued = CompilerThreads.queued();
			double change = HttpResult.rateChange(all.isEmpty() ? List.of() : all.get(all.size() - 1), cells);
			// The first round has nothing to compare with: it never counts as flat.
			flatRounds = (!all.isEmpty() && Math.abs(change - 1) < this.config.warmupFlat()) ? flatRounds + 1 : 0;
			all.add(cells);
			Double trend = WarmupEnd.trend(all, this.config.warmupWindow());
			Double rawTrend = WarmupEnd.trendOfRates(raw, this.config.warmupWindow());
			WarmupRound round = new WarmupRound(all.size(), (System.nanoTime() - start) / 1e9, change, cells, fork,
					trend, rawRate, rawTrend, compiled, compilerCpu, queued);
			rounds.add(round);
			log("warm-up round " + round.round() + " of fork " + fork + " at " + Math.round(round.endSeconds())
					+ " s: rates changed by " + String.format("%+.1f %%", (change - 1) * 100)
					+ ((trend != null) ? String.format(", the last %d rounds against the %d before by %+.1f %%",
							this.config.warmupWindow(), this.config.warmupWindow(), (trend - 1) * 100) : "")
					+ ((rawRate != null) ? String.format("; raw vsock %.1f MiB/s", rawRate) : "")
					+ ((rawTrend != null) ? String.format(", its last rounds %+.1f %%", (rawTrend - 1) * 100) : "")
					+ ((compiled != null) ? String.format("; the JIT compiled for %.0f %% of the round's time", compiled * 100) : "")
					+ ((compilerCpu != null) ? String.format(", its threads used %.1f %% of it in CPU", compilerCpu * 100) : "")
					+ ((queued != null) ? String.format(", %d methods queued at its end", queued) : "")
					+ " " + cells);
			ended = (this.config.warmupWindow() > 0)
					? WarmupEnd.ended(rounds.subList(firstOfFork, rounds.size()), this.config.warmupWindow(),
							this.config.warmupFlat(), this.config.warmupCompiling())
					: flatRounds >= 2;
		}
		while (System.nanoTime() - start < budget || (!ended && System.nanoTime() - start < 2 * budget));
	}

	static <T> T log(T result) {
		System.out.println("bench: " + result);
		System.out.flush();
		return result;
	}

}
