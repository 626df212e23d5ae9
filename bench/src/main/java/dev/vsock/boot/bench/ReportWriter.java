package dev.vsock.boot.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

import dev.vsock.boot.bench.Results.HttpResult;
import dev.vsock.boot.bench.Results.IdleResult;
import dev.vsock.boot.bench.Results.MetricsResult;
import dev.vsock.boot.bench.Results.RawResult;
import dev.vsock.boot.bench.Results.StartupRun;

/**
 * Writes {@code docs/benchmarks.md} and its plot from the results of a run: the set-up, the raw
 * figures in tables and each target of issue 10 as met, missed or inconclusive, computed here
 * from the figures, never asserted.
 *
 * <p>Arguments: the results directory, the Markdown file, the PNG file.
 */
public final class ReportWriter {

	/**
	 * Fewer requests than this in a cell make its rate a matter of luck (a few slow ones decide it):
	 * a target judged on such a cell is inconclusive rather than met or missed.
	 */
	static final int MIN_REQUESTS = 100;

	private static final double KIB = 1024;

	private static final double MIB = 1024 * 1024;

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
		new ThroughputChart(writer.guest.http(), writer.guest.config().concurrencies()).write(png,
				"HTTP requests/s in the QEMU guest (TCG), by server and transport");
		System.out.println("report: wrote " + markdown + " and " + png);
	}

	private String markdown(String pngName) throws IOException {
		intro();
		setup();
		targets();
		raw();
		http(pngName);
		starterCost();
		profiles();
		reading();
		return this.out.toString();
	}

	private void intro() {
		line("# Benchmarks");
		line();
		line("What serving HTTP natively over AF_VSOCK costs against TCP and against the `socat` relay users run today, "
				+ "and what the starter costs an application (issue 10). `bench/run.sh` produces this page: it builds "
				+ "the `bench` module, boots the project's QEMU test guest once and runs "
				+ "`dev.vsock.boot.bench.GuestBenchmark` there (every vsock connection happens inside the guest, where "
				+ "CID 1 loops back), times start-up in fresh JVMs on the build machine (which only binds a vsock port), "
				+ "and writes this file and `benchmarks.png` from the results (`bench/target/results`). "
				+ "`bench/run.sh --small` is a quick trial; `bench/run.sh --report-only` rewrites the page from the "
				+ "last results; `bench/run.sh --startup-only` times start-up again and keeps the guest's results.");
		line();
		line("How to read the numbers: the guest emulates its CPU (QEMU TCG, no KVM), several times slower than real "
				+ "hardware, on a build machine of two cores, so absolute figures say little about production. What "
				+ "carries over are **ratios between rows of one run**: the same server, the same load generator and "
				+ "the same guest, vsock against TCP against the relay. Every figure below is from one run of "
				+ "`bench/run.sh`" + (isSmall() ? " **in its small trial configuration** (`--small`)" : "")
				+ (startupTimedAgain() ? ", except start-up, timed again afterwards with `--startup-only` (see the set-up)"
						: "")
				+ "; the targets are computed from them, not asserted.");
		line();
	}

	/** Whether {@code bench/run.sh --startup-only} replaced the start-up figures of the full run. */
	private boolean startupTimedAgain() {
		return prop("startup.when").startsWith("again");
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
		row("guest", prop("qemu.version") + ", `-accel " + prop("qemu.accel") + "` (TCG), `-cpu " + prop("qemu.cpu")
				+ "`, `-smp " + prop("qemu.smp") + "`, 6 GiB; " + g.environment().get("cpu") + "; Linux "
				+ g.environment().get("kernel"));
		row("JVM (guest and build machine)", g.environment().get("java") + ", `-Xmx2g` in the guest");
		row("Spring Boot / Tomcat / Netty / Reactor Netty", g.environment().get("springBoot") + " / "
				+ g.environment().get("tomcat") + " / " + g.environment().get("netty") + " / "
				+ g.environment().get("reactorNetty"));
		row("cells", "first every target and workload in turn, 16 connections, 4 s cells, for at least "
				+ g.config().warmupBudget().toSeconds() + " s (JIT warm-up, not counted); then each cell: warm-up "
				+ g.config().warmup().toMillis() + " ms, then " + g.config().measure().toMillis()
				+ " ms measured; connections " + g.config().concurrencies());
		if (startupTimedAgain()) {
			row("how long the run took", prop("duration.total") + " s for the full run (guest " + prop("duration.guest")
					+ " s, boot included, and its own start-up timing); start-up timed " + prop("startup.when") + ": "
					+ prop("duration.startup") + " s on the build machine");
		}
		else {
			row("how long the run took", prop("duration.total") + " s in all: guest " + prop("duration.guest")
					+ " s (boot included), start-up timing " + prop("duration.startup") + " s on the build machine, "
					+ prop("startup.when"));
		}
		line();
		line("`thread=single` TCG runs both guest vCPUs on one host thread, so the guest has at most one build-machine "
				+ "core, shared by the load generator, the server and (for the relay) socat; anything else running on "
				+ "the build machine shares its two cores (see the load above).");
		line();
		line("**Servers.** Each server is one instance built without an application context (as the project's ITs do): "
				+ "`VsockTomcatServletWebServerFactory` with a plain servlet, and `VsockNettyReactiveWebServerFactory` "
				+ "with a bare `HttpHandler`, each listening on a kernel-picked vsock port and, beside it, on a TCP port "
				+ "on 127.0.0.1, so vsock and TCP reach the very same server. Endpoints: `GET /json` answers a 32-byte "
				+ "JSON document; `POST /upload` reads a 1 MiB body and answers its length. Tomcat's connectors (both) "
				+ "get `maxKeepAliveRequests=-1` (its default closes a connection every 100 requests; Reactor Netty "
				+ "never does). The relay is `socat VSOCK-LISTEN:<port>,fork,reuseaddr TCP:127.0.0.1:<tcp port>` in "
				+ "front of each server's TCP port.");
		line();
		line("**Load generator.** One loop (`LoadGenerator`) for every target: N closed-loop workers, each sending its "
				+ "next request when the previous response has fully arrived, on Reactor Netty's `HttpClient`: "
				+ "`VsockClients.httpClient(vsock://1:<port>)` for vsock and the relay, and for TCP "
				+ "`HttpClient.create().runOn(<epoll loops, as many threads as VsockClients' loops>).remoteAddress(...)"
				+ ".disableRetry(true)`, the same settings VsockClients applies. Both use Reactor Netty's default "
				+ "connection pool with `reactor.netty.pool.maxConnections` = " + g.config().maxConcurrency()
				+ "; N workers keep N connections busy, and the pool is emptied after each cell, so each cell opens "
				+ "exactly its N keep-alive connections. Requests whose response arrives inside the measured window "
				+ "count; latency is from sending to the last byte of the response. Targets alternate within each row "
				+ "of the matrix, so that a slow spell of the shared machine hits all of them.");
		line();
	}

	private void targets() {
		line("## Targets");
		line();
		line("| target | measured | verdict |");
		line("|---|---|---|");
		for (String server : servers()) {
			int met = 0;
			int cells = 0;
			List<String> ratios = new ArrayList<>();
			for (Workload workload : Workload.values()) {
				for (int c : this.guest.config().concurrencies()) {
					Optional<Double> ratio = ratio(server, "vsock", "tcp", workload, c);
					if (ratio.isPresent()) {
						cells++;
						met += (ratio.get() >= 0.95) ? 1 : 0;
						ratios.add(shortName(workload) + "×" + c + " " + percent(ratio.get()));
					}
				}
			}
			line("| HTTP over vsock ≥ 95 % of the same server over TCP: " + server + " | "
					+ String.join(", ", ratios) + " (" + met + " of " + cells + " cells at ≥ 95 %) | "
					+ verdict(server, List.of("vsock", "tcp"), null, (met == cells) ? "met" : "missed") + " |");
		}
		for (String server : servers()) {
			List<String> ratios = new ArrayList<>();
			boolean all = true;
			for (Workload workload : Workload.values()) {
				Optional<Double> ratio = ratio(server, "vsock", "socat", workload, 16);
				if (ratio.isPresent()) {
					ratios.add(shortName(workload) + " " + String.format("%.2f×", ratio.get()));
					all &= ratio.get() >= 2;
				}
			}
			line("| ≥ 2× the socat relay at 16 connections: " + server + " | " + String.join(", ", ratios) + " | "
					+ (ratios.isEmpty() ? "not measured" : verdict(server, List.of("vsock", "socat"), 16, all ? "met" : "missed"))
					+ " |");
		}
		Optional<RawResult> rawVsock = this.guest.raw().stream().filter((r) -> r.transport().equals("vsock")).findFirst();
		for (String server : servers()) {
			Optional<HttpResult> best = this.guest.http()
				.stream()
				.filter((r) -> r.server().equals(server) && r.transport().equals("vsock")
						&& r.workload().equals(Workload.POST_1MIB.name()))
				.max((a, b) -> Double.compare(a.requestsPerSecond(), b.requestsPerSecond()));
			if (best.isPresent() && rawVsock.isPresent()) {
				double mib = best.get().mibPerSecond(Workload.BODY.length);
				double ratio = mib / rawVsock.get().mibPerSecond();
				line("| bulk transfer ≥ 80 % of the raw vsock limit: " + server + " | 1 MiB POSTs "
						+ String.format("%.1f", mib) + " MiB/s (best, at " + best.get().concurrency()
						+ " connections) against raw " + String.format("%.1f", rawVsock.get().mibPerSecond())
						+ " MiB/s: " + percent(ratio) + " | " + ((best.get().requests() < MIN_REQUESTS)
								? "inconclusive: " + best.get().requests() + " requests in that cell" : (ratio >= 0.8) ? "met" : "missed")
						+ " |");
			}
		}
		this.startup.ifPresentOrElse(this::startupTarget, () -> line("| start-up overhead < 10 ms | not measured | — |"));
		line();
	}

	/**
	 * The verdict a target's figures give, or "inconclusive" when a cell it rests on has too few
	 * requests to say.
	 */
	private String verdict(String server, List<String> transports, Integer concurrency, String verdict) {
		long thin = this.guest.http()
			.stream()
			.filter((r) -> r.server().equals(server) && transports.contains(r.transport())
					&& (concurrency == null || r.concurrency() == concurrency) && r.requests() < MIN_REQUESTS)
			.count();
		return (thin == 0) ? verdict : "inconclusive: " + thin + " of its cells have fewer than " + MIN_REQUESTS
				+ " requests (the figures alone say " + verdict + ")";
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
				+ String.format("%.0f", startupStats(startup, true, StartupRun::starterBeanMillis).median()) + " ms | "
				+ verdict + " |");
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
	}

	private void http(String pngName) {
		line("## HTTP");
		line();
		line("![requests per second by concurrency](" + pngName + ")");
		line();
		for (Workload workload : Workload.values()) {
			line("### " + workload.label());
			line();
			line("| server | transport | connections | req/s | p50 ms | p99 ms | requests | errors | vs TCP | vs relay |");
			line("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
			for (String server : servers()) {
				for (int c : this.guest.config().concurrencies()) {
					for (String transport : List.of("vsock", "tcp", "socat")) {
						cell(server, transport, workload, c).ifPresent((r) -> httpRow(r, workload));
					}
				}
			}
			line();
		}
	}

	private void httpRow(HttpResult r, Workload workload) {
		String transport = r.transport();
		String againstTcp = "tcp".equals(transport) ? ""
				: ratio(r.server(), transport, "tcp", workload, r.concurrency()).map(ReportWriter::percent).orElse("");
		String againstRelay = "vsock".equals(transport) ? ratio(r.server(), transport, "socat", workload, r.concurrency())
			.map((x) -> String.format("%.2f×", x))
			.orElse("") : "";
		line(String.format("| %s | %s | %d | %,.1f | %.2f | %.2f | %d | %d | %s | %s |", r.server(),
				"socat".equals(transport) ? "socat relay" : transport, r.concurrency(), r.requestsPerSecond(), r.p50Millis(),
				r.p99Millis(), r.requests(), r.errors(), againstTcp, againstRelay));
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
		line("### Memory per idle connection");
		line();
		line("A server in a JVM of its own (vsock only, `-Xmx512m`) reports its heap after two `System.gc()` and its "
				+ "resident set (`VmRSS`) before and after it holds " + this.guest.config().idleConnections()
				+ " idle keep-alive connections that each served one `GET /json`. The slab column is the guest kernel's "
				+ "`Slab` total over the same span, which counts both ends of every connection and anything else the "
				+ "kernel did meanwhile.");
		line();
		line("| server | connections | heap before MiB | heap after MiB | heap per connection KiB | RSS per connection KiB | kernel slab per connection KiB |");
		line("|---|---:|---:|---:|---:|---:|---:|");
		for (IdleResult r : this.guest.idle()) {
			line(String.format("| %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f |", r.server(), r.connections(),
					r.heapBefore() / MIB, r.heapAfter() / MIB, (r.heapAfter() - r.heapBefore()) / KIB / r.connections(),
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

	private Optional<HttpResult> cell(String server, String transport, Workload workload, int concurrency) {
		return this.guest.http()
			.stream()
			.filter((r) -> r.server().equals(server) && r.transport().equals(transport)
					&& r.workload().equals(workload.name()) && r.concurrency() == concurrency)
			.findFirst();
	}

	private Optional<Double> ratio(String server, String transport, String against, Workload workload, int concurrency) {
		Optional<HttpResult> base = cell(server, against, workload, concurrency);
		return cell(server, transport, workload, concurrency).flatMap((r) -> base
			.filter((b) -> b.requestsPerSecond() > 0)
			.map((b) -> r.requestsPerSecond() / b.requestsPerSecond()));
	}

	private List<String> servers() {
		return List.of(BenchServer.TOMCAT, BenchServer.REACTOR_NETTY);
	}

	private static String shortName(Workload workload) {
		return (workload == Workload.JSON_GET) ? "GET" : "POST";
	}

	private static String percent(double ratio) {
		return String.format("%.0f %%", ratio * 100);
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
