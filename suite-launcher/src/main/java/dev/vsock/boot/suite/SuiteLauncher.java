package dev.vsock.boot.suite;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.junit.platform.engine.Filter;
import org.junit.platform.engine.discovery.ClassNameFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.junit.platform.reporting.legacy.xml.LegacyXmlReportGeneratingListener;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;

/**
 * Runs the test classes of one jar in this JVM, as one JUnit Platform launch, and writes the JUnit
 * XML report that Maven's plugins write and the time each class took.
 *
 * <pre>
 * java -cp CLASSPATH dev.vsock.boot.suite.SuiteLauncher --tests TESTS_JAR --include REGEX
 *     --reports DIRECTORY [--exclude REGEX] [--tag TAG]
 * </pre>
 *
 * Exits 0 when every selected test passed, 1 when one failed or none was selected, 2 on a usage
 * error. One JVM for all of a module's classes is the point: in the test guest, whose CPU is
 * emulated, a JVM start and the classes a Spring application loads cost more than most tests.
 */
public final class SuiteLauncher {

	private SuiteLauncher() {
	}

	/**
	 * Runs the tests the arguments select.
	 * @param args the arguments, as the class documentation says
	 */
	public static void main(String[] args) {
		Options options;
		try {
			options = Options.parse(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println("SuiteLauncher: " + ex.getMessage());
			System.err.println("usage: SuiteLauncher --tests TESTS_JAR --include REGEX --reports DIRECTORY [--exclude REGEX] [--tag TAG]");
			System.exit(2);
			return;
		}
		System.exit(run(options));
	}

	private static int run(Options options) {
		List<Filter<?>> filters = new ArrayList<>();
		filters.add(ClassNameFilter.includeClassNamePatterns(options.include()));
		if (options.exclude() != null) {
			filters.add(ClassNameFilter.excludeClassNamePatterns(options.exclude()));
		}
		if (options.tag() != null) {
			filters.add(TagFilter.includeTags(options.tag()));
		}
		LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
			.selectors(selectClasspathRoots(Set.of(options.tests())))
			.filters(filters.toArray(Filter<?>[]::new))
			.build();
		PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
		SummaryGeneratingListener summary = new SummaryGeneratingListener();
		ClassTimes classTimes = new ClassTimes(out);
		Launcher launcher = LauncherFactory.create();
		createDirectories(options.reports());
		launcher.execute(request, summary, classTimes, new LegacyXmlReportGeneratingListener(options.reports(), out));
		classTimes.writeTo(options.reports().resolve("class-times.tsv"));
		TestExecutionSummary result = summary.getSummary();
		if (result.getTotalFailureCount() > 0) {
			result.printFailuresTo(out, 25);
		}
		out.printf("%d tests: %d passed, %d failed, %d skipped, %d aborted%n", result.getTestsFoundCount(),
				result.getTestsSucceededCount(), result.getTotalFailureCount(), result.getTestsSkippedCount(),
				result.getTestsAbortedCount());
		if (result.getTestsFoundCount() == 0) {
			out.println("No test matched " + options.include() + " in " + options.tests());
			return 1;
		}
		return (result.getTotalFailureCount() > 0) ? 1 : 0;
	}

	private static void createDirectories(Path directory) {
		try {
			Files.createDirectories(directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * What the command line asks for.
	 */
	private record Options(Path tests, String include, @Nullable String exclude, @Nullable String tag, Path reports) {

		static Options parse(String[] args) {
			Map<String, String> values = new HashMap<>();
			for (int i = 0; i < args.length; i += 2) {
				if (!List.of("--tests", "--include", "--exclude", "--tag", "--reports").contains(args[i])) {
					throw new IllegalArgumentException("unknown option '" + args[i] + "'");
				}
				if (i + 1 >= args.length) {
					throw new IllegalArgumentException("'" + args[i] + "' needs a value");
				}
				values.put(args[i], args[i + 1]);
			}
			String tests = values.get("--tests");
			String include = values.get("--include");
			String reports = values.get("--reports");
			if (tests == null || include == null || reports == null) {
				throw new IllegalArgumentException("--tests, --include and --reports are required");
			}
			if (!Files.isRegularFile(Path.of(tests))) {
				throw new IllegalArgumentException("--tests " + tests + " is not a jar of test classes");
			}
			return new Options(Path.of(tests), include, values.get("--exclude"), values.get("--tag"), Path.of(reports));
		}

	}

}
