package dev.vsock.boot.bench;

import java.io.File;
import java.nio.file.Path;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes and reads the results as JSON, the hand-over between the runs (build machine, guest)
 * and the report.
 */
final class ResultsFile {

	private static final JsonMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

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
