package dev.vsock.boot.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.vsock.boot.bench.Results.StartupRun;

/**
 * Times the start-up of {@link StartupApp} in fresh JVMs on the build machine, with the starter's
 * jars on the class path (and {@code server.vsock.port=0}, so that it binds a vsock listener,
 * which is allowed there; nothing connects) and without them, alternating the two.
 *
 * <p>Runs come in pairs, one of each kind back to back (which goes first alternates), so that the
 * report can take the difference within each pair: a slow spell of the machine then hits both
 * halves of a pair instead of widening the spread of either kind.
 *
 * <p>Arguments: the benchmark's class path file, the output JSON file, the measured runs of each
 * kind.
 */
public final class StartupBenchmark {

	private static final int WARMUP_RUNS = 1;

	/**
	 * Runs with the starter, after the pairs, that time loading the epoll transport in
	 * {@code main}: that takes it off the background pre-initializer, so they are not paired.
	 */
	private static final int EPOLL_RUNS = 10;

	private static final Pattern STARTED = Pattern
		.compile("STARTED uptime=(\\d+) spring=(\\d+) vsock=(\\S+) epoll=(\\S+) factory=(\\S+) starterBeans=(\\S+) cpu=(\\S+)");

	/** Tomcat is left out both ways: the application is WebFlux on Reactor Netty. */
	private static final List<String> NEVER = List.of("tomcat-embed-", "spring-boot-tomcat-");

	/** What the starter adds to a WebFlux application: the autoconfigure jar and Netty's epoll transport. */
	private static final List<String> STARTER = List.of("vsock-spring-boot-autoconfigure-", "netty-transport-native-epoll-",
			"netty-transport-classes-epoll-");

	private StartupBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		List<String> dependencies = Arrays.asList(Files.readString(Path.of(args[0])).trim().split(File.pathSeparator));
		String classes = StartupBenchmark.class.getProtectionDomain().getCodeSource().getLocation().getPath();
		int runs = Integer.parseInt(args[2]);
		String with = classPath(classes, dependencies, NEVER);
		List<String> excluded = new ArrayList<>(NEVER);
		excluded.addAll(STARTER);
		String without = classPath(classes, dependencies, excluded);
		List<StartupRun> measured = new ArrayList<>();
		for (int i = 0; i < WARMUP_RUNS + runs; i++) {
			// Which kind goes first alternates too, so that neither always follows the other.
			boolean withFirst = i % 2 == 0;
			for (boolean withStarter : new boolean[] { withFirst, !withFirst }) {
				StartupRun run = start(withStarter, withStarter ? with : without, false);
				System.out.println("startup: " + run);
				if (i >= WARMUP_RUNS) {
					measured.add(run);
				}
			}
		}
		List<StartupRun> epollRuns = new ArrayList<>();
		for (int i = 0; i < EPOLL_RUNS; i++) {
			StartupRun run = start(true, with, true);
			System.out.println("startup (epoll timed in main): " + run);
			epollRuns.add(run);
		}
		ResultsFile.write(Path.of(args[1]), new Results.Startup(EnvironmentFacts.current(), measured, epollRuns));
	}

	private static String classPath(String classes, List<String> dependencies, List<String> excluded) {
		return classes + File.pathSeparator + dependencies.stream()
			.filter((jar) -> excluded.stream().noneMatch((prefix) -> new File(jar).getName().startsWith(prefix)))
			.collect(Collectors.joining(File.pathSeparator));
	}

	private static StartupRun start(boolean withStarter, String classPath, boolean timeEpoll)
			throws IOException, InterruptedException {
		String java = ProcessHandle.current().info().command().orElse("java");
		Process process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Dbench.timeEpoll=" + timeEpoll,
				"-cp", classPath,
				StartupApp.class.getName(), "--server.port=0", "--server.vsock.port=0", "--spring.main.banner-mode=off")
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
			throw new IllegalStateException("The start-up application failed (with starter: " + withStarter + "):\n" + output);
		}
		Matcher started = STARTED.matcher(output);
		if (!started.find()) {
			throw new IllegalStateException("Expected a line 'STARTED uptime=...' from the start-up application but got:\n" + output);
		}
		String vsockPort = started.group(3);
		if (withStarter == "none".equals(vsockPort)) {
			throw new IllegalStateException("With starter " + withStarter + " the application reported vsock port "
					+ vsockPort + ": the class path is not what this run means to measure");
		}
		String epoll = started.group(4);
		if (timeEpoll && withStarter == "none".equals(epoll)) {
			throw new IllegalStateException("With starter " + withStarter + " the application reported epoll " + epoll
					+ ": the class path is not what this run means to measure");
		}
		return new StartupRun(withStarter, Long.parseLong(started.group(1)), Long.parseLong(started.group(2)), vsockPort,
				("none".equals(epoll) || "untimed".equals(epoll)) ? null : Double.valueOf(epoll), Double.parseDouble(started.group(5)),
				Double.parseDouble(started.group(6)), Double.valueOf(started.group(7)));
	}

}
