package dev.vsock.boot.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import dev.vsock.boot.bench.Results.HttpResult;
import dev.vsock.boot.bench.Results.IdleResult;
import dev.vsock.boot.bench.Results.MetricsResult;
import dev.vsock.boot.bench.Results.RawResult;
import dev.vsock.boot.bench.Results.RawRound;
import dev.vsock.boot.bench.Results.StartupRun;
import dev.vsock.boot.bench.Results.WarmupRound;

/**
 * Writes {@code docs/benchmarks.md} and its plot from the results of a run: the set-up, the raw
 * figures in tables and each target of issue 10 as met, missed or inconclusive, computed here
 * from the figures, never asserted.
 *
 * <p>Arguments: the results directory, the Markdown file, the PNG file.
 */
public final class ReportWriter {

	/** The share of the same server over TCP every vsock cell should reach. */
	static final double AGAINST_TCP = 0.95;

	/** How many times the relay's rate vsock should reach at 16 connections. */
	static final double AGAINST_RELAY = 2;

	/** How many vsock connections each server should hold open at once. */
	static final int HELD = 10_000;

	/** The share of the raw vsock channel's throughput that 1 MiB POSTs should reach. */
	static final double AGAINST_RAW = 0.8;

	private static final double KIB = 1024;

	private static final double MIB = 1024 * 1024;

	private static final String NOT_RECORDED = "not recorded";

	/** Columns of the {@code cpu} line of {@code /proc/stat}, counted after its name. */
	private static final int IDLE = 3;

	private static final int IOWAIT = 4;

	private static final int STEAL = 7;

	private final Properties machine;

	private final Results.Guest guest;

	private final Optional<Results.Startup> startup;

	private final Path resultsDirectory;

	private final StringBuilder out = new StringBuilder();

	private ReportWriter(Path resultsDirectory) throws IOException {
		this.resultsDirectory = resultsDirectory;
		this.machine = new Properties();
		try (Reader reader = Files.newBufferedReader(resultsDirectory.resolve("machine.properties"))) {
			this.machine.load(reader);
		}
		this.guest = ResultsFile.read(resultsDirectory.resolve("guest.json"), Results.Guest.class);
		Path startupFile = resultsDirectory.resolve("startup.json");
		this.startup = Files.exists(startupFile) ? Optional.of(ResultsFile.read(startupFile, Results.Startup.class))
				: Optional.empty();
	}

	public static void main(String[] args) throws IOException {
		Locale.setDefault(Locale.ROOT);
		ReportWriter writer = new ReportWriter(Path.of(args[0]));
		Path markdown = Path.of(args[1]);
		Path png = Path.of(args[2]);
		Files.writeString(markdown, writer.markdown(png.getFileName().toString()), StandardCharsets.UTF_8);
		new RatioChart(writer.guest.http(), writer.guest.config().concurrencies()).write(png);
		System.out.println("report: wrote " + markdown + " and " + png);
	}

	private String markdown(String pngName) throws IOException {
		line("# Benchmarks");
		line();
		summary(pngName);
		intro();
		setup();
		targets();
		warmupSection();
		raw();
		http();
		buffers();
		starterCost();
		profiles();
		reading();
		return this.out.toString();
	}

	private void intro() {
		line("What serving HTTP natively over AF_VSOCK costs against TCP and against the `socat` relay users run today, "
				+ "and what the starter costs an application (issue 10). `bench/run.sh` produces this page: it builds "
				+ "the `bench` module, boots the project's QEMU test guest once and runs "
				+ "`dev.vsock.boot.bench.GuestBenchmark` there (every vsock connection happens inside the guest, where "
				+ "CID 1 loops back), times start-up in fresh JVMs on the build machine (which only binds a vsock port), "
				+ "and writes this file and `benchmarks.png` from the results (`bench/target/results`). "
				+ "`bench/run.sh --small` is a quick trial; `bench/run.sh --build-machine-clock` runs the guest on the "
				+ "build machine's time instead of a clock that counts its instructions (see the set-up); "
				+ "`bench/run.sh --report-only` rewrites the page from "
				+ "the last results; `bench/run.sh --startup-only` times start-up again and keeps the guest's results.");
		line();
		line("How to read the numbers: the guest emulates its CPU (QEMU TCG, no KVM), several times slower than real "
				+ "hardware, on a build machine of two cores, so absolute figures say little about production. What "
				+ "carries over are **ratios between rows of one run**: the same server, the same load generator and "
				+ "the same guest, vsock against TCP against the relay. Every figure below is from one run of "
				+ "`bench/run.sh`" + (isSmall() ? " **in its small trial configuration** (`--small`)" : "")
				+ (startupTimedAgain() ? ", except start-up, timed again afterwards with `--startup-only` (see the set-up)"
						: "")
				+ "; the targets are computed from them, not asserted. Each cell ran " + roundsSaid() + ", "
				+ (interleaved() ? "a server's targets taking turns in slices of a second or more within "
						+ "each round, so that vsock, TCP and the relay are measured in the same seconds"
						: "the targets of its row in a new random order each round")
				+ "; a figure is the median of its rounds with their range beside it, and a ratio is taken within a "
				+ "round (vsock against TCP measured minutes apart would compare two moments of the machine, not two "
				+ "transports). A verdict is given "
				+ "only where every round agrees: *met* when the lowest round reaches the target, *missed* when the "
				+ "highest does not, *inconclusive* when the rounds straddle it.");
		line();
		String stopped = stoppedEarly(this.machine);
		if (stopped != null) {
			line("**This run is incomplete:** " + stopped + "; the page shows what it measured until then, and a "
					+ "target without its cells says *not measured*.");
			line();
		}
	}

	/**
	 * Whether a server's targets took turns in slices within each cell ({@link SlicePlan}); results
	 * written before that have {@code slices} 0, each target having run its cell as a turn of its own.
	 */
	private boolean interleaved() {
		return this.guest.config().slices() > 0;
	}

	/** Whether {@code bench/run.sh --startup-only} replaced the start-up figures of the full run. */
	private boolean startupTimedAgain() {
		return prop("startup.when").startsWith("again");
	}

	/**
	 * QEMU's {@code -icount} setting the guest ran with ({@code bench/run.sh} unless given
	 * {@code --build-machine-clock}), {@code null} for a guest on the build machine's time (results
	 * written before it have none).
	 */
	static @Nullable String instructionClock(Properties machine) {
		String icount = machine.getProperty("qemu.icount", "");
		return icount.isBlank() ? null : icount;
	}

	/**
	 * @param environment the guest's facts ({@link EnvironmentFacts})
	 * @return the JVM row's text: the guest's JVM, its heap, and the nice value of its compiler
	 * threads where it is not 0 (not read in results written before it was)
	 */
	static String jvm(Map<String, String> environment) {
		String nice = environment.get("compilerNice");
		return environment.get("java") + ", `-Xmx2g` in the guest"
				+ ((nice != null && !nice.equals("0"))
						? ", the JIT's compiler threads at nice " + nice + " (`-XX:ThreadPriorityPolicy=1`)" : "");
	}

	/**
	 * What stopped the guest half before its end, from what {@code bench/run.sh} recorded, for a
	 * page written from what it measured until then.
	 * @param machine the machine's properties
	 * @return the sentence, or {@code null} when the guest half ran to its end (or the results were
	 * written before {@code bench/run.sh} recorded how it ended)
	 */
	static @Nullable String stoppedEarly(Properties machine) {
		String exit = machine.getProperty("guest.exit", "0");
		if (exit.equals("0")) {
			return null;
		}
		// guest/run.sh exits 124 at its time limit.
		return exit.equals("124")
				? "the guest half stopped at its time limit, " + machine.getProperty("guest.limit", "unknown")
						+ " s, before its end"
				: "the guest half stopped before its end (exit status " + exit + ", see the run's output)";
	}

	private void setup() {
		line("## Set-up");
		line();
		Results.Guest g = this.guest;
		line("| | |");
		line("|---|---|");
		row("build machine", prop("machine.cpus") + " CPUs (`nproc`), " + prop("machine.cpu") + ", Linux "
				+ prop("machine.kernel"));
		row("build machine load (1/5/15 min) at start, before start-up timing, at end", prop("machine.load") + "; "
				+ prop("machine.loadBeforeStartup") + "; " + prop("machine.loadAfter"));
		String icount = instructionClock(this.machine);
		String stolen = stolen(this.machine.getProperty("machine.cpuTicksBeforeGuest"),
				this.machine.getProperty("machine.cpuTicksAfterGuest"));
		row("build machine CPU taken by its hypervisor (steal) while the guest ran",
				stolen.equals(NOT_RECORDED) ? stolen
						: stolen + ((icount != null)
								? " (`/proc/stat`; it slows the run, not the guest's clock, so not its rates)"
								: " (`/proc/stat`; a turn's rates move with it, which the rounds' ranges show)"));
		row("guest", prop("qemu.version") + ", `-accel " + prop("qemu.accel") + "` (TCG), `-cpu " + prop("qemu.cpu")
				+ "`, `-smp " + prop("qemu.smp") + "`"
				+ ((icount != null) ? ", `-icount " + icount + "`" : "") + ", 6 GiB; "
				+ g.environment().get("cpu") + "; Linux " + g.environment().get("kernel"));
		row("JVM (guest and build machine)", jvm(g.environment()));
		row("Spring Boot / Tomcat / Netty / Reactor Netty", g.environment().get("springBoot") + " / "
				+ g.environment().get("tomcat") + " / " + g.environment().get("netty") + " / "
				+ g.environment().get("reactorNetty"));
		row("cells", "first every target and workload in turn, " + GuestBenchmark.WARMUP_CONNECTIONS
				+ " connections, 4 s cells, for at least " + g.config().warmupBudget().toSeconds() + " s and until "
				+ warmupEndSaid() + " (at most twice that; JIT warm-up, not counted, see below)"
				+ ((g.config().jvms() > 1) ? ", in each fork" : "") + "; then each cell: warm-up "
				+ g.config().warmup().toMillis() + " ms, then " + g.config().measure().toMillis() + " ms measured, "
				+ (interleaved() ? "for each target of a server, the targets taking turns (their warm-ups first), "
						+ "their measured time cut into at most " + g.config().slices() + " slices of at least "
						+ SlicePlan.SHORTEST.toMillis() + " ms and four times the slowest target's median response "
						+ "time (one slice that long where it is longer than the measured time), each slice measured "
						+ "after a lead of twice that median and awaited to its last response "
						+ "before the next target's; " : "")
				+ roundsSaid() + ", " + (interleaved() ? "the servers' cells and the targets within "
						+ "them in random order" : "targets in random order") + " (seed " + g.config().seed() + ")"
				+ (g.config().leadInRound() ? ", a row at other connection counts than the warm-up's after one more "
						+ "round not kept" : "")
				+ ((g.config().settleLimit() != null && !g.config().settleLimit().isZero())
						? ", each turn once the one before has closed its connections (waiting at most "
								+ g.config().settleLimit().toSeconds() + " s)" : "")
				+ ((g.config().rawLeadBytes() > 0) ? ", the raw channel's turn after " + mib(g.config().rawLeadBytes())
						+ " not measured" : "")
				+ "; connections " + g.config().concurrencies());
		if (startupTimedAgain()) {
			row("how long the run took", prop("duration.total") + " s for the full run (guest " + prop("duration.guest")
					+ " s, boot included, and its own start-up timing); start-up timed " + prop("startup.when") + ": "
					+ prop("duration.startup") + " s on the build machine");
		}
		else {
			String stopped = stoppedEarly(this.machine);
			row("how long the run took", prop("duration.total") + " s in all: guest " + prop("duration.guest")
					+ " s (boot included" + ((stopped != null) ? "; " + stopped : "") + "), start-up timing "
					+ prop("duration.startup") + " s on the build machine, " + prop("startup.when"));
		}
		line();
		if (icount != null) {
			line("`-icount " + icount + "` gives the guest a clock of its own: it advances a fixed time for "
					+ "each instruction the guest's one vCPU runs (2^shift ns) and, with `sleep=on`, jumps to the next "
					+ "timer when the guest is idle. Every second below is a second of that clock, so a rate counts the "
					+ "guest's instructions per request, not the emulator's time: the same code makes the same seconds "
					+ "whatever else the build machine runs, which slows the run, not its figures. The one vCPU is "
					+ "shared by the load generator, the server and (for the relay) socat; its JVMs see one CPU "
					+ "(`bench/run.sh`'s default; with `--build-machine-clock` the guest runs on two vCPUs and the "
					+ "build machine's time).");
		}
		else {
			line("`thread=single` TCG runs both guest vCPUs on one host thread, so the guest has at most one "
					+ "build-machine core, shared by the load generator, the server and (for the relay) socat; anything "
					+ "else running on the build machine shares its two cores (see the load above).");
		}
		line();
		// Results of runs before the relay had the servers' backlog do not record one.
		String socatBacklog = g.environment().get("socatBacklog");
		line("**Servers.** Each server is one instance built without an application context (as the project's ITs do): "
				+ "`VsockTomcatServletWebServerFactory` with a plain servlet, and `VsockNettyReactiveWebServerFactory` "
				+ "with a bare `HttpHandler`, each listening on a kernel-picked vsock port and, beside it, on a TCP port "
				+ "on 127.0.0.1, so vsock and TCP reach the very same server. Endpoints: `GET /json` answers a 32-byte "
				+ "JSON document; `POST /upload` reads a 1 MiB body and answers its length. Tomcat's connectors (both) "
				+ "get `maxKeepAliveRequests=-1` (its default closes a connection every 100 requests; Reactor Netty "
				+ "never does). The relay is `socat VSOCK-LISTEN:<port>,fork,reuseaddr"
				+ ((socatBacklog != null) ? ",backlog=" + socatBacklog : "") + " TCP:127.0.0.1:<tcp port>` in "
				+ "front of each server's TCP port"
				+ ((socatBacklog != null) ? ", listening with the servers' backlog (the kernel's `somaxconn`): a vsock "
						+ "listener whose accept queue is full resets a connection request, and socat's default "
						+ "backlog is 5"
						: " (socat's default backlog, 5: a vsock listener whose accept queue is full resets a "
								+ "connection request, where the servers queue `somaxconn`)")
				+ ".");
		line();
		// The benchmark's own vsock pool, emptied after each cell, came in the same change as the
		// wait between turns, so results that record a settle limit are the ones that had it.
		boolean vsockPoolsEmptied = g.config().settleLimit() != null;
		line("**Load generator.** One loop (`LoadGenerator`) for every target: N closed-loop workers, each sending its "
				+ "next request when the previous response has fully arrived, on Reactor Netty's `HttpClient`: "
				+ (vsockPoolsEmptied ? "`VsockClients.httpClient(vsock://1:<port>, pool)` for vsock and the relay, "
						+ "with a connection pool of the benchmark's own" : "`VsockClients.httpClient(vsock://1:<port>)` "
						+ "for vsock and the relay, with the starter's shared connection pool")
				+ ", and for TCP `HttpClient.create().runOn(<epoll loops, as many threads as VsockClients' loops>)"
				+ ".remoteAddress(...).disableRetry(true)`, the same settings VsockClients applies, with Reactor Netty's "
				+ "default pool; every pool with `reactor.netty.pool.maxConnections` = " + g.config().maxConcurrency()
				+ ". N workers keep N connections busy, and "
				+ (vsockPoolsEmptied ? "every pool is emptied after each cell, so each cell opens exactly its N "
						+ "keep-alive connections. "
						: "the TCP pool is emptied after each cell, so a TCP cell opens exactly its N keep-alive "
								+ "connections; the vsock pool was meant to be and was not (found on 3 December: the "
								+ "benchmark emptied Reactor Netty's default pool for the vsock address, not the "
								+ "starter's), so a vsock or relay cell could start on connections an earlier turn left "
								+ "idle, and these stayed open, through the relay a forked socat each, for up to a "
								+ "minute into the turns after. ")
				+ "Requests whose response arrives inside the measured window "
				+ "count; latency is from sending to the last byte of the response (recorded in an HdrHistogram). "
				+ "Targets alternate within each row of the matrix, in a new random order each round, so that a slow "
				+ "spell of the shared machine hits all of them and none always runs first.");
		line();
		line("**Buffer sizes.** Each server runs a second time, vsock only, with `server.vsock.buffer-size` = "
				+ mib(g.config().bufferSize()) + " (read back from its listening socket), called by a client with "
				+ "`spring.vsock.client.buffer-size` = " + mib(g.config().bufferSize()) + " "
				+ "(`VsockClientSettings.withBufferSize`): the target *vsock, " + mib(g.config().bufferSize())
				+ " buffers*, in the rows of the 1 MiB POST, which is what buffer sizes are for.");
		line();
	}

	/**
	 * The page's opening for someone deciding whether to adopt the starter: five lines, and the plot of
	 * the ratios the verdicts are judged on.
	 */
	private void summary(String pngName) {
		line("**In short** (ratios from one run in an emulated guest; the verdicts, their rounds and the reading below "
				+ "say how far each carries):");
		line();
		List<String> againstTcp = new ArrayList<>();
		for (String server : servers()) {
			Tally tally = new Tally();
			for (Workload workload : Workload.values()) {
				for (int c : this.guest.config().concurrencies()) {
					tally.add(Spread.of(ratios(server, "vsock", "tcp", workload, c)), AGAINST_TCP);
				}
			}
			againstTcp.add(server + ": " + tally);
		}
		line("- **vsock at " + percent(AGAINST_TCP) + " or more of TCP on the same server**, cells by verdict: "
				+ String.join("; ", againstTcp) + ".");
		List<String> againstRelay = new ArrayList<>();
		for (String server : servers()) {
			for (Workload workload : Workload.values()) {
				Spread spread = Spread.of(ratios(server, "vsock", "socat", workload, 16));
				if (!spread.isEmpty()) {
					againstRelay.add(server + " " + shortName(workload) + " " + times(spread.median()));
				}
			}
		}
		line("- **vsock against the socat relay** at 16 connections (medians): " + String.join(", ", againstRelay)
				+ "; errors over vsock: " + errors("vsock") + ", over the relay: " + errors("socat") + ".");
		List<String> bulk = new ArrayList<>();
		for (String server : servers()) {
			bestBulk(server, "vsock").ifPresent((best) -> bulk.add(server + " " + percent(best.ratio.median())));
		}
		line("- **Bulk:** 1 MiB POSTs over vsock reach " + String.join(", ", bulk) + " of the raw vsock channel "
				+ "(best cell, median; target " + percent(AGAINST_RAW) + ")"
				+ (this.guest.rawRounds().isEmpty() ? "; the raw channel was measured once, before the cells, so this "
						+ "ratio is not taken within a round and moves with the JIT's warm-up." : ", the raw channel timed "
						+ "in the same rounds."));
		List<String> buffers = new ArrayList<>();
		for (String server : servers()) {
			for (int c : this.guest.config().concurrencies()) {
				Spread spread = Spread.of(ratios(server, HttpTarget.VSOCK_BUFFERS, "vsock", Workload.POST_1MIB, c));
				if (!spread.isEmpty()) {
					buffers.add(server + "×" + c + " " + percent(spread.median()));
				}
			}
		}
		line("- **" + mib(this.guest.config().bufferSize()) + " vsock buffers** against the kernel's 256 KiB, 1 MiB "
				+ "POSTs (medians): " + String.join(", ", buffers) + ".");
		this.startup.ifPresentOrElse((startup) -> {
			StartupStats difference = StartupStats.of(pairedDifferences(startup, StartupRun::jvmUptimeMillis));
			line("- **Start-up:** the starter adds " + String.format("%+.0f ms ± %.0f ms", difference.mean(),
					difference.meanMargin()) + " (mean of " + difference.count() + " back-to-back pairs, 95 %) to a "
					+ "minimal WebFlux application's time to ready on the build machine.");
		}, () -> line("- **Start-up:** not measured in this run."));
		line();
		line("![vsock against TCP and against the relay, per cell, over the rounds](" + pngName + ")");
		line();
		line("The plot shows the ratios the targets are judged on, one box per server and cell over its rounds "
				+ "(the line in a box is the median, the whiskers the lowest and the highest round); the dashed lines "
				+ "are the targets. Absolute rates, in the tables below, are the emulated guest's and say little about "
				+ "production.");
		line();
	}

	/** Every round's errors over one transport, both servers and workloads. */
	private long errors(String transport) {
		return matrix().filter((r) -> r.transport().equals(transport)).mapToLong(HttpResult::errors).sum();
	}

	private void targets() {
		line("## Targets");
		line();
		line("Each cell's figure is the median of its rounds' ratios, with the lowest and the highest round in "
				+ "brackets; a target is *met* when all its cells are, *missed* when one is, *inconclusive* otherwise.");
		line();
		line("| target | measured | verdict |");
		line("|---|---|---|");
		for (String server : servers()) {
			Tally tally = new Tally();
			List<String> cells = new ArrayList<>();
			for (Workload workload : Workload.values()) {
				for (int c : this.guest.config().concurrencies()) {
					Spread spread = Spread.of(ratios(server, "vsock", "tcp", workload, c));
					if (!spread.isEmpty()) {
						tally.add(spread, AGAINST_TCP);
						cells.add(shortName(workload) + "×" + c + " " + spread.percentages() + " "
								+ spread.verdict(AGAINST_TCP));
					}
				}
			}
			line("| HTTP over vsock ≥ " + percent(AGAINST_TCP) + " of the same server over TCP: " + server + " | "
					+ String.join(", ", cells) + " (" + tally + ") | " + tally.verdict() + " |");
		}
		for (String server : servers()) {
			Tally tally = new Tally();
			List<String> cells = new ArrayList<>();
			for (Workload workload : Workload.values()) {
				Spread spread = Spread.of(ratios(server, "vsock", "socat", workload, 16));
				if (!spread.isEmpty()) {
					tally.add(spread, AGAINST_RELAY);
					cells.add(shortName(workload) + " " + spread.times() + " " + spread.verdict(AGAINST_RELAY));
				}
			}
			line("| ≥ " + times(AGAINST_RELAY) + " the socat relay at 16 connections: " + server + " | "
					+ String.join(", ", cells) + " | " + tally.verdict() + " |");
		}
		for (String server : servers()) {
			Optional<Bulk> best = bestBulk(server, "vsock");
			String target = "| bulk transfer ≥ " + percent(AGAINST_RAW) + " of the raw vsock limit: " + server + " | ";
			best.ifPresentOrElse((bulk) -> line(target + "1 MiB POSTs " + String.format("%.1f", bulk.mib.median())
					+ " MiB/s (rounds " + String.format("%.1f–%.1f", bulk.mib.min(), bulk.mib.max()) + ", best cell, at "
					+ bulk.concurrency + " connections) against raw " + bulk.rawText() + ": "
					+ bulk.ratio.percentages() + " | " + bulk.ratio.verdict(AGAINST_RAW) + " |"),
					() -> line(target + "no 1 MiB POST cell with its raw channel | not measured |"));
		}
		for (String server : servers()) {
			String target = "| " + String.format("%,d", HELD) + " connections held: " + server + " | ";
			this.guest.idle()
				.stream()
				.filter((r) -> r.server().equals(server) && (r.transport() == null || "vsock".equals(r.transport())))
				.findFirst()
				.ifPresentOrElse((r) -> line(target
						+ ((r.connections() < HELD) ? "this run held " + String.format("%,d", r.connections()) + " | not measured"
								: String.format("%,d of %,d", r.answered(), r.connections())
										+ " vsock keep-alive connections open at once answered a second request | "
										+ ((r.answered() == r.connections()) ? "met" : "missed"))
						+ " |"), () -> line(target + "none held over vsock | not measured |"));
		}
		this.startup.ifPresentOrElse(this::startupTarget, () -> line("| start-up overhead < 10 ms | not measured | — |"));
		line();
	}

	/**
	 * The best 1 MiB POST cell of a server over a transport (by its median ratio), against the raw
	 * vsock channel with the kernel's buffers: timed in the same rounds where the run did so, else
	 * (results of runs before it did) the one raw figure measured before the cells.
	 */
	private Optional<Bulk> bestBulk(String server, String transport) {
		Optional<RawResult> rawVsock = this.guest.raw().stream().filter((r) -> r.transport().equals("vsock")).findFirst();
		boolean withinRounds = !this.guest.rawRounds().isEmpty();
		if (rawVsock.isEmpty() && !withinRounds) {
			return Optional.empty();
		}
		Bulk best = null;
		for (int c : this.guest.config().concurrencies()) {
			Spread mib = Spread.of(cells(server, transport, Workload.POST_1MIB, c).stream()
				.map((r) -> r.mibPerSecond(Workload.BODY.length))
				.toList());
			Spread raw = withinRounds ? Spread.of(rawPerRound(this.guest.rawRounds(), c))
					: Spread.of(List.of(rawVsock.get().mibPerSecond()));
			Spread ratio = withinRounds ? Spread.of(againstRaw(this.guest.http(), this.guest.rawRounds(), server,
					transport, c)) : mib.scaled(1 / raw.median());
			if (!ratio.isEmpty() && (best == null || ratio.median() > best.ratio.median())) {
				best = new Bulk(c, mib, raw, ratio, withinRounds);
			}
		}
		return Optional.ofNullable(best);
	}

	private record Bulk(int concurrency, Spread mib, Spread raw, Spread ratio, boolean withinRounds) {

		String rawText() {
			return String.format("%.1f", this.raw.median()) + " MiB/s"
					+ (this.withinRounds ? String.format(" (rounds %.1f–%.1f, in the same rounds)", this.raw.min(),
							this.raw.max()) : " (measured once, before the cells)");
		}

	}

	/** Cells counted by their verdicts. */
	static final class Tally {

		private int met;

		private int missed;

		private int inconclusive;

		void add(Spread spread, double target) {
			if (spread.isEmpty()) {
				return;
			}
			switch (spread.verdict(target)) {
				case "met" -> this.met++;
				case "missed" -> this.missed++;
				default -> this.inconclusive++;
			}
		}

		String verdict() {
			if (this.met + this.missed + this.inconclusive == 0) {
				return "not measured";
			}
			return (this.missed > 0) ? "missed" : (this.inconclusive > 0) ? "inconclusive" : "met";
		}

		@Override
		public String toString() {
			return this.met + " met, " + this.missed + " missed, " + this.inconclusive + " inconclusive";
		}

	}

	private void warmupSection() {
		BenchConfig config = this.guest.config();
		line("## Warm-up: when the cells start to count");
		line();
		line("An emulated CPU runs the interpreter and then C1-compiled code for minutes before C2 has compiled the "
				+ "request paths, so rates rise for a while. The warm-up runs every target and workload in short cells "
				+ "until its budget is spent and " + warmupEndSaid()
				+ ((config.jvms() > 1) ? ", in each of the " + config.jvms() + " JVMs (forks) that ran the matrix" : "")
				+ ":");
		line();
		boolean forks = config.jvms() > 1;
		boolean trend = config.warmupWindow() > 0;
		boolean raw = warmupRanRaw();
		boolean jit = warmupTimedJit();
		boolean cpu = warmupTimedCompilers();
		line((forks ? "| fork " : "") + "| round | ended at s | change against the round before |"
				+ (trend ? " last " + config.warmupWindow() + " rounds against the " + config.warmupWindow() + " before |"
						: "")
				+ (raw ? " raw vsock MiB/s | its last " + config.warmupWindow() + " against the "
						+ config.warmupWindow() + " before |" : "")
				+ (jit ? " JIT compiling, its threads' time against the round's |" : "")
				+ (cpu ? " the compilers' CPU against the round's time | methods queued for a compiler at its end |" : ""));
		line((forks ? "|---:" : "") + "|---:|---:|---:|" + (trend ? "---:|" : "") + (raw ? "---:|---:|" : "")
				+ (jit ? "---:|" : "") + (cpu ? "---:|---:|" : ""));
		for (WarmupRound round : this.guest.warmup()) {
			line((forks ? "| " + round.fork() + " " : "")
					+ String.format("| %d | %.0f | %s |", round.round(), round.endSeconds(),
							(round.round() == 1) ? "—" : String.format("%+.1f %%", (round.change() - 1) * 100))
					+ (trend ? " " + signedPercent(round.trend()) + " |" : "")
					+ (raw ? ((round.rawMibPerSecond() != null) ? String.format(" %.1f |", round.rawMibPerSecond())
							: " — |") + " " + signedPercent(round.rawTrend()) + " |" : "")
					+ (jit ? ((round.compiling() != null) ? " " + percent(round.compiling()) + " |" : " — |") : "")
					+ (cpu ? ((round.compilerCpu() != null) ? String.format(" %.1f %% |", round.compilerCpu() * 100) : " — |")
							+ ((round.queued() != null) ? " " + round.queued() + " |" : " — |") : ""));
		}
		line();
		Map<Integer, List<WarmupRound>> byFork = new TreeMap<>();
		this.guest.warmup().forEach((round) -> byFork.computeIfAbsent(round.fork(), (fork) -> new ArrayList<>()).add(round));
		List<String> endings = new ArrayList<>();
		for (Map.Entry<Integer, List<WarmupRound>> fork : byFork.entrySet()) {
			List<WarmupRound> rounds = fork.getValue();
			if (rounds.size() < 3) {
				continue;
			}
			endings.add((forks ? "of fork " + fork.getKey() + " " : "")
					+ warmupEnding(rounds, config.warmupWindow(), config.warmupFlat(), config.warmupCompiling()));
		}
		if (!endings.isEmpty()) {
			line("The warm-up " + String.join("; ", endings) + "."
					+ (endings.stream().anyMatch((e) -> e.contains("did not level off"))
							? " The matrix's absolute rates may still rise from round to round; its ratios, taken within "
									+ "a round, are less affected (see the drift below)." : ""));
			line();
		}
		List<String> drift = new ArrayList<>();
		for (int round = 2; round <= config.totalRounds(); round++) {
			drift.add("round " + round + ((forks && config.forkOf(round) != config.forkOf(round - 1))
					? " (fork " + config.forkOf(round) + ")" : "") + " " + String.format("%+.1f %%", (roundDrift(round) - 1) * 100));
		}
		line("Whether the rates stayed flat through the measured rounds: the geometric mean, over every cell of the "
				+ "matrix, of its rate in a round against its rate in round 1: " + String.join(", ", drift)
				+ ". A drift of a few percent either way is the machine; a steady rise would be a JIT still at work"
				+ (forks ? "; a step from one fork to the next, what that JVM's JIT made of the code" : "") + ".");
		line();
	}

	/**
	 * How one JVM's warm-up ended, judged as the run judged it ({@link WarmupEnd#ended}; with a
	 * window of 0, two rounds in a row flat, without the raw channel's or the JIT's rule).
	 * @param rounds the JVM's warm-up rounds, at least 3
	 * @param window the rounds on each side of the trend ({@code bench.warmupWindow})
	 * @param flat how far above the rounds before the last ones may be ({@code bench.warmupFlat})
	 * @param quiet the share of each of the last rounds the JIT may compile ({@code bench.warmupCompiling})
	 * @return when it ended and how level it was, or that it did not level off and what still moved
	 */
	static String warmupEnding(List<WarmupRound> rounds, int window, double flat, double quiet) {
		WarmupRound last = rounds.get(rounds.size() - 1);
		List<Double> busy = WarmupRound.compilersBusy(rounds);
		boolean cpu = WarmupRound.compilersTimed(rounds);
		// The compilers' CPU to a tenth of a percent, as against a threshold of a few percent.
		String lastBusy = busy.isEmpty() ? ""
				: cpu ? String.format("%.1f %%", busy.get(busy.size() - 1) * 100) : percent(busy.get(busy.size() - 1));
		String compiled = busy.isEmpty() ? ""
				: cpu ? ", the compilers using " + lastBusy + " of the last round's CPU"
						: ", the JIT compiling " + lastBusy + " of the last round";
		if (window < 1) {
			boolean flatTwice = rounds.subList(rounds.size() - 2, rounds.size())
				.stream()
				.allMatch((r) -> Math.abs(r.change() - 1) < flat);
			return flatTwice ? "ended at " + String.format("%.0f", last.endSeconds()) + " s, its last two rounds flat"
					+ compiled : "**did not level off**: it ended at its cap of twice the budget with the rates still changing";
		}
		List<List<HttpResult>> cells = rounds.stream().map(WarmupRound::cells).toList();
		if (WarmupEnd.ended(rounds, window, flat, quiet)) {
			return "ended at " + String.format("%.0f", last.endSeconds()) + " s, its last " + window + " rounds "
					+ signedPercent(WarmupEnd.trend(cells, window)) + " against the " + window + " before" + compiled;
		}
		// Every rule that did not hold, and the JIT's where it did: a warm-up whose compilers were
		// quiet but whose rates still moved is another warm-up than one whose JIT was still at work.
		boolean rates = !WarmupEnd.stoppedRising(cells, window, flat);
		boolean raw = !WarmupEnd.rawStoppedRising(WarmupEnd.raw(rounds), window, flat);
		List<String> still = new ArrayList<>();
		if (rates || raw) {
			still.add((rates && raw) ? "the rates and the raw vsock channel's rate still rising"
					: rates ? "the rates still rising" : "the raw vsock channel's rate still rising");
		}
		boolean quietJit = !busy.isEmpty() && WarmupEnd.compiledLittle(busy, window, quiet);
		if (!busy.isEmpty() && !quietJit) {
			still.add(cpu ? "the compilers still using " + lastBusy + " of the last round's CPU"
					: "the JIT still compiling (" + lastBusy + " of the last round)");
		}
		String jitQuiet = !quietJit ? ""
				: cpu ? "; the compilers used less than " + percent(quiet) + " of each of the last " + window
						+ " rounds' CPU (the last " + lastBusy + ")"
						: "; the JIT compiled for less than " + percent(quiet) + " of each of the last " + window + " rounds";
		return "**did not level off**: it ended at its cap of twice the budget with " + String.join(" and ", still)
				+ jitQuiet;
	}

	/** How the warm-up decides it has ended, as the page says it. */
	private String warmupEndSaid() {
		BenchConfig config = this.guest.config();
		boolean raw = warmupRanRaw();
		return (config.warmupWindow() > 0)
				? "the rates stopped rising (the last " + config.warmupWindow() + " rounds less than "
						+ percent(config.warmupFlat()) + " above the " + config.warmupWindow()
						+ " before them, by the geometric mean over the cells"
						+ (raw ? "; the raw vsock channel, which the 1 MiB POSTs are set against, ran "
								+ config.rawWarmupBytes() / (1024 * 1024) + " MiB in every round, and its rate had "
								+ "to stop rising too, by the same rule" : "")
						+ ")" + (warmupTimedCompilers() ? " and the JIT's compiler threads used less than "
								+ percent(config.warmupCompiling()) + " of each of the last " + config.warmupWindow()
								+ " rounds' time in CPU (read from /proc; on the guest's one CPU a compile slows what "
								+ "runs beside it, so level rates alone do not show the JIT done; JMX's compile time, "
								+ "beside it, counts a compile waiting for the CPU too)"
								: warmupTimedJit() ? " and the JIT compiled for less than "
								+ percent(config.warmupCompiling()) + " of each of the last " + config.warmupWindow()
								+ " rounds' time (its compiler threads' time summed, as JMX counts it; on the guest's "
								+ "one CPU a compile slows what runs beside it, so level rates alone do not show the "
								+ "JIT done)" : "")
				: "two rounds in a row changed the rates by less than " + percent(config.warmupFlat());
	}

	private boolean warmupTimedJit() {
		return this.guest.warmup().stream().anyMatch((round) -> round.compiling() != null);
	}

	private boolean warmupTimedCompilers() {
		return WarmupRound.compilersTimed(this.guest.warmup());
	}

	private boolean warmupRanRaw() {
		return this.guest.warmup().stream().anyMatch((round) -> round.rawMibPerSecond() != null);
	}

	private static String signedPercent(@Nullable Double ratio) {
		return (ratio != null) ? String.format("%+.1f %%", (ratio - 1) * 100) : "—";
	}

	/** How many rounds each cell ran, and in how many JVMs, as the page says it. */
	private String roundsSaid() {
		BenchConfig config = this.guest.config();
		String each = config.rounds() + ((config.rounds() == 1) ? " round" : " rounds");
		return config.totalRounds() + " rounds" + ((config.jvms() > 1) ? " in " + config.jvms()
				+ " JVMs one after the other (forks, " + each + " each, each JVM with its own servers and warm-up)" : "");
	}

	/** The geometric mean over the matrix's cells of their rate in a round against round 1. */
	private double roundDrift(int round) {
		List<HttpResult> first = new ArrayList<>();
		List<HttpResult> later = new ArrayList<>();
		for (HttpResult r : matrix().filter((cell) -> cell.round() == round).toList()) {
			matrix().filter((cell) -> cell.round() == 1 && sameCell(cell, r)).findFirst().ifPresent((cell) -> {
				first.add(cell);
				later.add(r);
			});
		}
		return HttpResult.rateChange(first, later);
	}

	private static boolean sameCell(HttpResult a, HttpResult b) {
		return a.server().equals(b.server()) && a.transport().equals(b.transport()) && a.workload().equals(b.workload())
				&& a.concurrency() == b.concurrency();
	}

	private void startupTarget(Results.Startup startup) {
		StartupStats difference = StartupStats.of(pairedDifferences(startup, StartupRun::jvmUptimeMillis));
		double mean = difference.mean();
		double margin = difference.meanMargin();
		String verdict = (mean + margin < 10) ? "met" : (mean - margin > 10) ? "missed"
				: "inconclusive (the interval straddles 10 ms)";
		line("| start-up overhead < 10 ms | JVM start to ready, with minus without in " + difference.count()
				+ " back-to-back pairs: mean " + String.format("%+.0f", mean) + " ms ± " + String.format("%.0f", margin)
				+ " ms (95 %), median " + String.format("%+.0f", difference.median())
				+ " ms; what the starter spends inside the JVM (medians, see below; without it Reactor Netty loads NIO "
				+ "instead): loading Netty's epoll transport "
				+ String.format("%.0f", epollStats(startup).median())
				+ " ms, the web server factory " + String.format("%+.0f",
						StartupStats.of(pairedDifferences(startup, StartupRun::factoryMillis)).median())
				+ " ms, the starter's other beans "
				+ String.format("%.0f", startupStats(startup, true, StartupRun::starterBeanMillis).median()) + " ms"
				+ cpuDifference(startup).map((cpu) -> "; CPU time to ready (every thread), with minus without: mean "
						+ String.format("%+.0f", cpu.mean()) + " ms ± " + String.format("%.0f", cpu.meanMargin()) + " ms")
					.orElse("")
				+ " | " + verdict + " |");
	}

	/**
	 * The paired differences of the process's CPU time to ready, when every run read it (results
	 * from before it was read have none).
	 */
	private static Optional<StartupStats> cpuDifference(Results.Startup startup) {
		if (startup.runs().isEmpty() || startup.runs().stream().anyMatch((r) -> r.cpuMillis() == null)) {
			return Optional.empty();
		}
		return Optional.of(StartupStats.of(pairedDifferences(startup, StartupRun::cpuMillis)));
	}

	/**
	 * The differences with minus without the starter of one measure, a pair at a time: the
	 * start-up benchmark runs one of each kind back to back.
	 */
	private static List<Double> pairedDifferences(Results.Startup startup, ToDoubleFunction<StartupRun> measure) {
		List<StartupRun> runs = startup.runs();
		List<Double> differences = new ArrayList<>();
		for (int i = 0; i + 1 < runs.size(); i += 2) {
			StartupRun first = runs.get(i);
			StartupRun second = runs.get(i + 1);
			if (first.withStarter() == second.withStarter()) {
				throw new IllegalStateException("Start-up runs " + i + " and " + (i + 1)
						+ " are not a pair of one with and one without the starter; rerun bench/run.sh");
			}
			StartupRun with = first.withStarter() ? first : second;
			StartupRun without = first.withStarter() ? second : first;
			differences.add(measure.applyAsDouble(with) - measure.applyAsDouble(without));
		}
		return differences;
	}

	private void raw() {
		line("## The limit: raw channels, no HTTP");
		line();
		line("Netty's epoll channels, the project's `VsockServerChannel` / `VsockChannel` against `EpollServerSocketChannel`"
				+ " / `EpollSocketChannel`, over CID 1 and 127.0.0.1, and vsock once more with 1 MiB socket buffers "
				+ "(`SO_VM_SOCKETS_BUFFER_MAX_SIZE` and `SO_VM_SOCKETS_BUFFER_SIZE` set through Netty's "
				+ "`RawUnixChannelOption` on the listener, whose accepted sockets inherit them, and on the client; read "
				+ "back on both ends, the kernel's default being 256 KiB): one connection sends "
				+ (this.guest.config().bulkBytes() / (1024 * 1024)) + " MiB one way in 256 KiB writes (a smaller "
				+ "unmeasured pass first) and is timed to a one-byte answer; then a 1-byte ping-pong of "
				+ this.guest.config().pingRounds() + " rounds (after a fifth as many unrecorded).");
		line();
		line("| transport | MiB | seconds | MiB/s | ping-pong p50 µs | p99 µs |");
		line("|---|---:|---:|---:|---:|---:|");
		for (RawResult r : this.guest.raw()) {
			line(String.format("| %s | %d | %.2f | %.1f | %.0f | %.0f |", r.transport(), r.bulkBytes() / (1024 * 1024),
					r.bulkSeconds(), r.mibPerSecond(), r.pingP50Micros(), r.pingP99Micros()));
		}
		line();
		if (!this.guest.rawRounds().isEmpty()) {
			Spread turns = Spread.of(this.guest.rawRounds().stream().map(RawRound::mibPerSecond).toList());
			BenchConfig config = this.guest.config();
			String turnsARound = (config.rawTurns() == 2) ? "twice" : config.rawTurns() + " times";
			line("These figures are taken before the warm-up. The vsock bulk transfer ran again in every round of the "
					+ "1 MiB POST rows" + ((config.rawTurns() > 1) ? ", " + turnsARound + ", each" : ",")
					+ " at a random place among the row's targets, and the bulk target sets each POST cell against the "
					+ "raw channel of its own row and round"
					+ ((config.rawTurns() > 1) ? " (the round's turns together: their bytes over their time)" : "")
					+ ": " + turns.values().size() + " turns, "
					+ String.format("%.1f MiB/s (median; %.1f–%.1f)", turns.median(), turns.min(), turns.max())
					+ ((config.rawWarmupTurns() > 0) ? ", after " + config.rawWarmupTurns() + " turns not kept once "
							+ "the warm-up had ended" : "")
					+ ((config.rawWarmupBytes() > 0) ? "; it had run in every round of the warm-up (below)" : "")
					+ ".");
			line();
		}
	}

	private void http() {
		line("## HTTP");
		line();
		line("The rates behind the plot at the top of the page, per server, transport and connection count.");
		line();
		for (Workload workload : Workload.values()) {
			line("### " + workload.label());
			line();
			line("| server | transport | connections | req/s (median) | rounds' range | p50 ms | p99 ms | requests | errors "
					+ "| vs TCP | vs relay |");
			line("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
			for (String server : servers()) {
				for (int c : this.guest.config().concurrencies()) {
					for (String transport : List.of("vsock", "tcp", "socat", HttpTarget.VSOCK_BUFFERS)) {
						List<HttpResult> cells = cells(server, transport, workload, c);
						if (!cells.isEmpty()) {
							httpRow(server, transport, workload, c, cells);
						}
					}
				}
			}
			line();
		}
	}

	private void httpRow(String server, String transport, Workload workload, int concurrency, List<HttpResult> cells) {
		Spread rate = Spread.of(cells.stream().map(HttpResult::requestsPerSecond).toList());
		String againstTcp = "tcp".equals(transport) ? ""
				: Spread.of(ratios(server, transport, "tcp", workload, concurrency)).percentages();
		String againstRelay = "vsock".equals(transport)
				? Spread.of(ratios(server, transport, "socat", workload, concurrency)).times() : "";
		line(String.format("| %s | %s | %d | %,.1f | %,.1f–%,.1f | %.2f | %.2f | %d | %d | %s | %s |", server,
				transportLabel(transport), concurrency, rate.median(), rate.min(), rate.max(),
				Spread.of(cells.stream().map(HttpResult::p50Millis).toList()).median(),
				Spread.of(cells.stream().map(HttpResult::p99Millis).toList()).median(),
				cells.stream().mapToLong(HttpResult::requests).sum(), cells.stream().mapToLong(HttpResult::errors).sum(),
				againstTcp, againstRelay));
	}

	private String transportLabel(String transport) {
		return switch (transport) {
			case "socat" -> "socat relay";
			case HttpTarget.VSOCK_BUFFERS -> "vsock, " + mib(this.guest.config().bufferSize()) + " buffers";
			default -> transport;
		};
	}

	private void buffers() {
		line("## Buffer sizes: 1 MiB POSTs with larger vsock buffers");
		line();
		line("The same 1 MiB POSTs to each server once more, on a second instance whose vsock listener has "
				+ "`server.vsock.buffer-size` = " + mib(this.guest.config().bufferSize()) + ", from a client with "
				+ "`spring.vsock.client.buffer-size` = " + mib(this.guest.config().bufferSize()) + ", against the "
				+ "kernel's 256 KiB; the ratio is taken within each round. The raw channels above show what the "
				+ "buffers do without HTTP.");
		line();
		line("| server | connections | req/s, kernel's buffers | req/s, " + mib(this.guest.config().bufferSize())
				+ " buffers | larger buffers against the kernel's | reading |");
		line("|---|---:|---:|---:|---:|---|");
		for (String server : servers()) {
			for (int c : this.guest.config().concurrencies()) {
				Spread ratio = Spread.of(ratios(server, HttpTarget.VSOCK_BUFFERS, "vsock", Workload.POST_1MIB, c));
				if (ratio.isEmpty()) {
					continue;
				}
				Spread plain = Spread.of(cells(server, "vsock", Workload.POST_1MIB, c).stream()
					.map(HttpResult::requestsPerSecond).toList());
				Spread larger = Spread.of(cells(server, HttpTarget.VSOCK_BUFFERS, Workload.POST_1MIB, c).stream()
					.map(HttpResult::requestsPerSecond).toList());
				String reading = (ratio.min() > 1) ? "faster in every round" : (ratio.max() < 1) ? "slower in every round"
						: "no difference the rounds agree on";
				line(String.format("| %s | %d | %,.1f | %,.1f | %s | %s |", server, c, plain.median(), larger.median(),
						ratio.percentages(), reading));
			}
		}
		line();
	}

	private void starterCost() {
		line("## What the starter costs");
		line();
		line("### Start-up");
		line();
		this.startup.ifPresentOrElse((startup) -> {
			line("A minimal WebFlux application (`StartupApp`: one route, no component scan, on Reactor Netty) in fresh JVMs "
					+ "on the build machine, alternating with and without the starter's jars (`vsock-spring-boot-autoconfigure`, "
					+ "Netty's epoll transport) on the class path, after 1 unmeasured run of each; both get "
					+ "`--server.port=0 --server.vsock.port=0`, so with the starter the application also binds a vsock "
					+ "listener (each run checks that it did, and that it did not without). Times are the JVM's uptime when "
					+ "the application is ready (JVM start included) and Spring Boot's own `ApplicationReadyEvent` time.");
			line();
			line("| | runs | median ms | mean ms | stdev ms | fastest ms | Spring's time, median ms |");
			line("|---|---:|---:|---:|---:|---:|---:|");
			for (boolean with : new boolean[] { true, false }) {
				StartupStats stats = startupStats(startup, with, StartupRun::jvmUptimeMillis);
				StartupStats spring = startupStats(startup, with, StartupRun::springMillis);
				line(String.format("| %s | %d | %.0f | %.0f | %.0f | %.0f | %.0f |", with ? "with the starter" : "without",
						stats.count(), stats.median(), stats.mean(), stats.stdev(), stats.min(), spring.median()));
			}
			line();
			line("Where the difference goes. Each figure is a median over the runs of its kind, and a difference is "
					+ "the median over the back-to-back pairs. *Epoll transport*: loading Netty's epoll transport (its "
					+ "native library extracted from the jar and loaded), timed first thing in `main` after Netty's "
					+ "common classes, which the application loads either way, in " + epollStats(startup).count()
					+ " runs with the starter" + (startup.hasEpollRuns()
							? " after the pairs and not among them (loading it in `main` takes it off the starter's "
									+ "background pre-initializer, where the pairs leave it)"
							: " (the pairs themselves)")
					+ ". *Web server factory* and *the starter's "
					+ "other beans*: Spring's own start-up steps (`BufferingApplicationStartup`, outermost "
					+ "`spring.beans.instantiate` steps): the reactive web server factory, the starter's or Spring "
					+ "Boot's, with what it needs created first (with the starter: the vsock properties and the "
					+ "listener registry), and the starter's other beans. Not taken apart: loading and evaluating the "
					+ "starter's auto-configuration classes, binding the vsock listener, and noise. The parts are what "
					+ "the starter spends time on, not what it adds: without it, Reactor Netty runs on Java NIO instead "
					+ "of epoll and loads that instead, so only the first row is the starter's cost.");
			line();
			StartupStats total = StartupStats.of(pairedDifferences(startup, StartupRun::jvmUptimeMillis));
			StartupStats spring = StartupStats.of(pairedDifferences(startup, StartupRun::springMillis));
			StartupStats epoll = epollStats(startup);
			StartupStats factory = StartupStats.of(pairedDifferences(startup, StartupRun::factoryMillis));
			StartupStats beans = startupStats(startup, true, StartupRun::starterBeanMillis);
			line("| part | with the starter ms | without ms | difference ms | stdev of the difference ms |");
			line("|---|---:|---:|---:|---:|");
			line(String.format("| JVM start to ready | %.0f | %.0f | %+.0f (mean %+.0f ± %.0f) | %.0f |",
					startupStats(startup, true, StartupRun::jvmUptimeMillis).median(),
					startupStats(startup, false, StartupRun::jvmUptimeMillis).median(), total.median(), total.mean(),
					total.meanMargin(), total.stdev()));
			cpuDifference(startup).ifPresent((cpu) -> line(String.format(
					"| CPU time to ready (the process, every thread) | %.0f | %.0f | %+.0f (mean %+.0f ± %.0f) | %.0f |",
					startupStats(startup, true, StartupRun::cpuMillis).median(),
					startupStats(startup, false, StartupRun::cpuMillis).median(), cpu.median(), cpu.mean(),
					cpu.meanMargin(), cpu.stdev())));
			line(String.format("| Spring Boot's time to ready | %.0f | %.0f | %+.0f | %.0f |",
					startupStats(startup, true, StartupRun::springMillis).median(),
					startupStats(startup, false, StartupRun::springMillis).median(), spring.median(), spring.stdev()));
			line(String.format("| epoll transport | %.1f | — | %+.1f | %.1f |", epoll.median(), epoll.median(),
					epoll.stdev()));
			line(String.format("| web server factory | %.1f | %.1f | %+.1f | %.1f |",
					startupStats(startup, true, StartupRun::factoryMillis).median(),
					startupStats(startup, false, StartupRun::factoryMillis).median(), factory.median(), factory.stdev()));
			line(String.format("| the starter's other beans | %.1f | — | %+.1f | %.1f |", beans.median(), beans.median(),
					beans.stdev()));
			line();
		}, () -> {
			line("Not measured in this run.");
			line();
		});
		line("### Holding many connections: memory per idle connection, vsock against TCP");
		line();
		line("A server in a JVM of its own (`-Xmx512m`; over TCP the same server with its TCP listener) reports its "
				+ "heap after two `System.gc()`, its direct memory (the JDK's direct buffer pool and what Netty counts "
				+ "of its own) and its resident set (`VmRSS`) before and after it holds "
				+ String.format("%,d", this.guest.config().idleConnections()) + " idle keep-alive connections, opened "
				+ "one after the other, each of which served one `GET /json`; then every connection is asked once more, "
				+ "and *answered* counts those that answered. The slab column is the guest kernel's `Slab` total over "
				+ "the same span, which counts both ends of every connection and anything else the kernel did "
				+ "meanwhile. RSS also counts heap the collector has not handed back: an upper bound.");
		line();
		line("| server | transport | connections | answered | opened per s | heap per connection KiB | direct per connection KiB "
				+ "| RSS per connection KiB | kernel slab per connection KiB |");
		line("|---|---|---:|---:|---:|---:|---:|---:|---:|");
		for (IdleResult r : this.guest.idle()) {
			// Results from before the scale test have no transport (vsock), answer count, direct
			// memory or opening time: shown as not measured.
			boolean older = r.transport() == null;
			line(String.format("| %s | %s | %,d | %s | %s | %.1f | %s | %.1f | %.1f |", r.server(),
					older ? "vsock" : r.transport(), r.connections(), older ? "—" : String.format("%,d", r.answered()),
					older ? "—" : String.format("%,.0f", r.connections() / r.openSeconds()),
					(r.heapAfter() - r.heapBefore()) / KIB / r.connections(),
					older ? "—" : String.format("%.1f", (r.directAfter() - r.directBefore()) / KIB / r.connections()),
					(r.rssAfter() - r.rssBefore()) / KIB / r.connections(),
					(r.slabAfter() - r.slabBefore()) / KIB / r.connections()));
		}
		line();
		line("### The vsock meters");
		line();
		line("`GET /json` over vsock at 16 connections on the same server, without a registry and with `VsockMetrics` "
				+ "bound to a `SimpleMeterRegistry`, alternated twice. The listeners count connections and bytes in "
				+ "`LongAdder`s whether or not a registry is bound (binding only lets a registry read them), so this "
				+ "compares run-to-run noise against a cost that is paid either way; the last column shows what the "
				+ "meters read after a bound round.");
		line();
		line("| server | round | without registry req/s | with registry req/s | ratio | meters after the bound round |");
		line("|---|---:|---:|---:|---:|---|");
		for (String server : servers()) {
			List<MetricsResult> runs = this.guest.metrics().stream().filter((r) -> r.server().equals(server)).toList();
			for (MetricsResult bound : runs.stream().filter(MetricsResult::bound).toList()) {
				runs.stream().filter((r) -> !r.bound() && r.round() == bound.round()).findFirst().ifPresent((unbound) ->
					line(String.format("| %s | %d | %,.0f | %,.0f | %s | %s |", server, bound.round(),
							unbound.requestsPerSecond(), bound.requestsPerSecond(),
							percent(bound.requestsPerSecond() / unbound.requestsPerSecond()), meters(bound))));
			}
		}
		line();
	}

	private void profiles() throws IOException {
		List<Path> summaries;
		try (Stream<Path> files = Files.list(this.resultsDirectory)) {
			summaries = files.filter((p) -> p.getFileName().toString().matches("profile-.*\\.txt")).sorted().toList();
		}
		if (summaries.isEmpty()) {
			return;
		}
		line("## Where the time goes: flight recordings");
		line();
		line("A Java Flight Recording (the JDK's `profile` settings) of one more `GET /json` cell at 16 connections per "
				+ "server and transport, summarised on the build machine with `jfr view hot-methods` (top frames of the "
				+ "execution samples; the guest JVM runs client and server, so both show).");
		line();
		for (Path summary : summaries) {
			line("`" + summary.getFileName().toString().replace(".txt", "") + "`:");
			line();
			line("```");
			Files.readAllLines(summary).stream().filter((l) -> !l.isBlank()).limit(17).forEach(this::line);
			line("```");
			line();
		}
	}

	/** The hand-written reading of the recorded run, kept beside the code that makes the figures. */
	private void reading() throws IOException {
		try (InputStream in = ReportWriter.class.getResourceAsStream("reading.md")) {
			if (in != null) {
				this.out.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
			}
		}
	}

	private String meters(MetricsResult result) {
		List<String> values = new ArrayList<>();
		result.meters().forEach((name, value) -> values.add("`" + name + "` " + String.format("%,.0f", value)));
		return String.join(", ", values);
	}

	private static StartupStats epollStats(Results.Startup startup) {
		return StartupStats.of(startup.epollTimed().stream().map(StartupRun::epollMillis).filter(Objects::nonNull).toList());
	}

	private static StartupStats startupStats(Results.Startup startup, boolean withStarter,
			Function<StartupRun, ? extends Number> measure) {
		return StartupStats.of(startup.runs().stream().filter((r) -> r.withStarter() == withStarter).map(measure)
			.filter(Objects::nonNull).toList());
	}

	/** The cells of the matrix, every round (not the warm-up's, the meters' or the profiles'). */
	private Stream<HttpResult> matrix() {
		return this.guest.http().stream().filter((r) -> r.round() > 0);
	}

	/** One cell of the matrix, each of its rounds, in round order. */
	private List<HttpResult> cells(String server, String transport, Workload workload, int concurrency) {
		return matrix().filter((r) -> r.server().equals(server) && r.transport().equals(transport)
				&& r.workload().equals(workload.name()) && r.concurrency() == concurrency)
			.sorted(Comparator.comparingInt(HttpResult::round))
			.toList();
	}

	/** A cell's rate against another's, one ratio per round that both ran. */
	private List<Double> ratios(String server, String transport, String against, Workload workload, int concurrency) {
		return ratios(this.guest.http(), server, transport, against, workload.name(), concurrency);
	}

	static List<Double> ratios(List<HttpResult> http, String server, String transport, String against, String workload,
			int concurrency) {
		return paired(http, server, transport, workload, concurrency, HttpResult::requestsPerSecond,
				(round) -> http.stream()
					.filter((b) -> b.round() == round && b.server().equals(server) && b.transport().equals(against)
							&& b.workload().equals(workload) && b.concurrency() == concurrency && b.requestsPerSecond() > 0)
					.findFirst()
					.map(HttpResult::requestsPerSecond));
	}

	/**
	 * A 1 MiB POST cell's MiB/s against the raw vsock channel's, one ratio per round in which the
	 * raw channel ran among the same row's targets (its turns combined, {@link #rawPerRound}).
	 */
	static List<Double> againstRaw(List<HttpResult> http, List<RawRound> raw, String server, String transport,
			int concurrency) {
		return paired(http, server, transport, Workload.POST_1MIB.name(), concurrency,
				(r) -> r.mibPerSecond(Workload.BODY.length), (round) -> rawInRound(raw, concurrency, round));
	}

	/**
	 * The raw vsock channel's rate in each round of a POST row, in the order of the rounds: where
	 * it ran more than once in a round, its turns' bytes over their time (each turn sends as many
	 * bytes, so the harmonic mean of their rates).
	 */
	static List<Double> rawPerRound(List<RawRound> raw, int concurrency) {
		return List.copyOf(rawByRound(raw, concurrency).values());
	}

	private static Optional<Double> rawInRound(List<RawRound> raw, int concurrency, int round) {
		return Optional.ofNullable(rawByRound(raw, concurrency).get(round));
	}

	private static SortedMap<Integer, Double> rawByRound(List<RawRound> raw, int concurrency) {
		return raw.stream()
			.filter((r) -> r.concurrency() == concurrency && r.mibPerSecond() > 0)
			.collect(Collectors.groupingBy(RawRound::round, TreeMap::new,
					Collectors.collectingAndThen(Collectors.toList(),
							(turns) -> turns.size() / turns.stream().mapToDouble((r) -> 1 / r.mibPerSecond()).sum())));
	}

	/**
	 * A figure of each matrix cell of a row's target against its partner in the same round, where
	 * the round has one.
	 */
	private static List<Double> paired(List<HttpResult> http, String server, String transport, String workload,
			int concurrency, ToDoubleFunction<HttpResult> figure, IntFunction<Optional<Double>> partnerInRound) {
		List<Double> ratios = new ArrayList<>();
		for (HttpResult r : http) {
			if (r.round() > 0 && r.server().equals(server) && r.transport().equals(transport)
					&& r.workload().equals(workload) && r.concurrency() == concurrency) {
				partnerInRound.apply(r.round()).ifPresent((partner) -> ratios.add(figure.applyAsDouble(r) / partner));
			}
		}
		return ratios;
	}

	private List<String> servers() {
		return List.of(BenchServer.TOMCAT, BenchServer.REACTOR_NETTY);
	}

	static String shortName(Workload workload) {
		return switch (workload) {
			case JSON_GET -> "GET";
			case JSON_GET_NEW_CONNECTION -> "GET+connect";
			case POST_1MIB -> "POST";
		};
	}

	static String percent(double ratio) {
		return String.format("%.0f %%", ratio * 100);
	}

	static String times(double ratio) {
		return String.format("%.2f×", ratio);
	}

	/**
	 * How much of the build machine's busy CPU time its hypervisor took between two readings of the
	 * {@code cpu} line of {@code /proc/stat}: the guest's emulated CPU runs on one of those cores, so
	 * time taken from them slows the guest unevenly, turn by turn.
	 * @param before the line's numbers (user, nice, system, idle, iowait, irq, softirq, steal, ...)
	 * before the guest half, or {@code null} if not recorded
	 * @param after the same after it
	 * @return the share, or {@value #NOT_RECORDED}
	 */
	static String stolen(@Nullable String before, @Nullable String after) {
		if (before == null || after == null) {
			return NOT_RECORDED;
		}
		long[] start = ticks(before);
		long[] end = ticks(after);
		if (start.length <= STEAL || end.length <= STEAL) {
			return NOT_RECORDED;
		}
		long busy = 0;
		for (int i = 0; i <= STEAL; i++) {
			if (i != IDLE && i != IOWAIT) {
				busy += end[i] - start[i];
			}
		}
		return (busy > 0) ? String.format(Locale.ROOT, "%.1f %% of the CPUs' busy time",
				100.0 * (end[STEAL] - start[STEAL]) / busy) : NOT_RECORDED;
	}

	private static long[] ticks(String line) {
		return Stream.of(line.trim().split("\\s+")).mapToLong(Long::parseLong).toArray();
	}

	private static String mib(long bytes) {
		return (bytes % (1024 * 1024) == 0) ? (bytes / (1024 * 1024)) + " MiB" : bytes + " bytes";
	}

	private boolean isSmall() {
		return "small".equals(this.machine.getProperty("size"));
	}

	private String prop(String name) {
		return this.machine.getProperty(name, "unknown");
	}

	private void row(String name, String value) {
		line("| " + name + " | " + value + " |");
	}

	private void line(String text) {
		this.out.append(text).append('\n');
	}

	private void line() {
		this.out.append('\n');
	}

}
