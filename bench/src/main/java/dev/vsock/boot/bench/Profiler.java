package dev.vsock.boot.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * Records a Java Flight Recording (the JDK's {@code profile} settings) around one piece of work,
 * so that the report can show where a cell's time goes.
 */
final class Profiler {

	private final Path directory;

	Profiler(Path directory) {
		this.directory = directory;
	}

	/**
	 * Starts the flight recorder once with nothing to record: its first start loads and
	 * initialises much of {@code jdk.jfr}, which in the emulated guest takes long enough to
	 * distort the first recorded cell.
	 */
	void prepare() throws Exception {
		Files.createDirectories(this.directory);
		try (Recording warmup = new Recording()) {
			warmup.start();
			warmup.stop();
		}
	}

	<T> T record(String name, Callable<T> work) throws Exception {
		Files.createDirectories(this.directory);
		try (Recording recording = new Recording(Configuration.getConfiguration("profile"))) {
			recording.start();
			T result = work.call();
			recording.stop();
			recording.dump(this.directory.resolve(name + ".jfr"));
			return result;
		}
	}

}
