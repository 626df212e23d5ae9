package dev.vsock.boot.suite;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Times each test class from its start to its end, its {@code @BeforeAll} and Spring context
 * included (a test case's time in the XML report leaves both out), prints a line per class as
 * it ends and writes {@code class-times.tsv} for the suite's summary.
 */
final class ClassTimes implements TestExecutionListener {

	private final PrintWriter out;

	private final Map<String, Long> started = new ConcurrentHashMap<>();

	private final Map<String, int[]> counts = new ConcurrentHashMap<>();

	private final List<String> finished = new ArrayList<>();

	ClassTimes(PrintWriter out) {
		this.out = out;
	}

	@Override
	public void executionStarted(TestIdentifier identifier) {
		String className = className(identifier);
		if (className != null) {
			this.started.put(className, System.nanoTime());
			this.out.println("  " + className + " ...");
		}
	}

	@Override
	public void executionSkipped(TestIdentifier identifier, String reason) {
		if (identifier.isTest()) {
			count(identifier)[2]++;
		}
	}

	@Override
	public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
		if (identifier.isTest()) {
			count(identifier)[(result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) ? 0 : 1]++;
		}
		String className = className(identifier);
		if (className == null) {
			return;
		}
		double seconds = (System.nanoTime() - this.started.get(className)) / 1e9;
		int[] count = this.counts.getOrDefault(className, new int[3]);
		String line = String.format("%s\t%.1f\t%d\t%d\t%d", className, seconds, count[0], count[1], count[2]);
		synchronized (this.finished) {
			this.finished.add(line);
		}
		this.out.printf("  %s: %d passed, %d failed, %d skipped in %.1f s%s%n", className, count[0], count[1],
				count[2], seconds, (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) ? ""
						: " (the class itself " + result.getStatus() + ": " + result.getThrowable().orElse(null) + ")");
	}

	/**
	 * Writes a line per class: its name, seconds, passed, failed and skipped tests.
	 * @param file the file to write
	 */
	void writeTo(Path file) {
		try {
			synchronized (this.finished) {
				Files.write(file, this.finished);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private int[] count(TestIdentifier test) {
		String className = test.getSource()
			.filter(MethodSource.class::isInstance)
			.map((source) -> ((MethodSource) source).getClassName())
			.orElse("");
		return this.counts.computeIfAbsent(className, (name) -> new int[3]);
	}

	/**
	 * Returns the class a container stands for, or {@code null} for anything else.
	 */
	private static @Nullable String className(TestIdentifier identifier) {
		return identifier.getSource()
			.filter(ClassSource.class::isInstance)
			.map((source) -> ((ClassSource) source).getClassName())
			.orElse(null);
	}

}
