package dev.vsock.boot.autoconfigure.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The IDE help the jar carries, and the configuration reference in docs/ that must say the same.
 */
class ConfigurationMetadataTest {

	@Test
	@SuppressWarnings("unchecked")
	void everyKeyIsDescribedHintedWhereItHelpsAndDocumentedAsTheMetadataSays() throws IOException {
		Map<String, Object> metadata;
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			metadata = JsonMapper.builder().build().readValue(in, Map.class);
		}
		List<Map<String, Object>> properties = (List<Map<String, Object>>) metadata.get("properties");
		assertThat(properties).extracting((property) -> property.get("name"))
			.contains("server.vsock.port", "server.vsock.cid", "server.vsock.enabled", "server.vsock.allowed-cids",
					"server.vsock.required-transports", "management.health.vsock.enabled");
		List<Map<String, Object>> hints = (List<Map<String, Object>>) metadata.get("hints");
		assertThat(hints).filteredOn((hint) -> hint.get("name").equals("server.vsock.cid"))
			.singleElement()
			.satisfies((hint) -> assertThat((List<Map<String, Object>>) hint.get("values"))
				.extracting((value) -> value.get("value"))
				.containsExactly("any", "local", "host", "hypervisor"));
		String reference = Files.readString(Path.of("../docs/configuration.md"));
		for (Map<String, Object> property : properties) {
			String description = (String) property.get("description");
			assertThat(description).as((String) property.get("name")).isNotBlank();
			assertThat(reference).as("docs/configuration.md documents " + property.get("name"))
				.contains("| `" + property.get("name") + "` |")
				.contains(description.replace('\'', '`'));
		}
	}

}
