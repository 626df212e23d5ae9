package dev.vsock.boot.bench;

import java.io.File;
import java.nio.file.Path;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes and reads the results as JSON, the hand-over between the runs (build machine, guest)
 * and the report.
 */
final class ResultsFile {

	/**
	 * Numbers a record gained after a results file was written read as 0 from it (Jackson refuses
	 * them otherwise), so that the report can still be written from older results, which it marks
	 * as not measured where that matters (the scale test's answered count, for one).
	 */
	private static final JsonMapper MAPPER = JsonMapper.builder()
		.enable(SerializationFeature.INDENT_OUTPUT)
		.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.build();

	private ResultsFile() {
	}

	static void write(Path file, Object results) {
		File target = file.toFile();
		target.getParentFile().mkdirs();
		MAPPER.writeValue(target, results);
	}

	static <T> T read(Path file, Class<T> type) {
		return MAPPER.readValue(file.toFile(), type);
	}

}
