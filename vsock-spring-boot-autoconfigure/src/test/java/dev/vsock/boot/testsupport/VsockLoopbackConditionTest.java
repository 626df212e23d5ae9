package dev.vsock.boot.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class VsockLoopbackConditionTest {

	@TempDir
	Path root;

	@Test
	void enabledInTheGuestWithTheLoopbackModule() throws IOException {
		Files.createDirectories(this.root.resolve("sys/module/vsock_loopback"));
		assertThat(condition(Map.of("VSOCK_GUEST", "1"), Map.of()).evaluateExecutionCondition(null).isDisabled())
			.isFalse();
	}

	@Test
	void enabledInTheGuestWithABuiltInLoopbackTransport() throws IOException {
		Files.createDirectories(this.root.resolve("proc/sys/kernel"));
		Files.writeString(this.root.resolve("proc/sys/kernel/osrelease"), "6.1.0-test\n");
		Path modules = Files.createDirectories(this.root.resolve("lib/modules/6.1.0-test"));
		Files.writeString(modules.resolve("modules.builtin"), "kernel/net/vmw_vsock/vsock_loopback.ko\n");
		assertThat(condition(Map.of("VSOCK_GUEST", "1"), Map.of()).evaluateExecutionCondition(null).isDisabled())
			.isFalse();
	}

	@Test
	void skipsOutsideTheGuestWhenVsockIsNotRequired() throws IOException {
		Files.createDirectories(this.root.resolve("sys/module/vsock_loopback"));
		var result = condition(Map.of(), Map.of()).evaluateExecutionCondition(null);
		assertThat(result.isDisabled()).isTrue();
		assertThat(result.getReason()).hasValueSatisfying((reason) -> assertThat(reason).contains("VSOCK_GUEST"));
	}

	@Test
	void failsOutsideTheGuestWhenVsockIsRequired() {
		assertThatIllegalStateException()
			.isThrownBy(() -> condition(Map.of(), Map.of("vsock.required", "true")).evaluateExecutionCondition(null))
			.withMessageContaining("not the project's test guest")
			.withMessageContaining("scripts/test.sh");
	}

	@Test
	void failsInTheGuestWithoutLoopbackWhenVsockIsRequired() {
		assertThatIllegalStateException()
			.isThrownBy(() -> condition(Map.of("VSOCK_GUEST", "1"), Map.of("vsock.required", "true"))
				.evaluateExecutionCondition(null))
			.withMessageContaining("no vsock_loopback transport");
	}

	private VsockLoopbackCondition condition(Map<String, String> environment, Map<String, String> properties) {
		return new VsockLoopbackCondition(environment::get, properties::get, this.root);
	}

}
