package dev.vsock.boot.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Enables a test only inside the project's test guest with the vsock loopback transport; fails it
 * instead of skipping when the run declares vsock required.
 */
public class VsockLoopbackCondition implements ExecutionCondition {

	private final Function<String, String> environment;

	private final Function<String, String> properties;

	private final Path root;

	/**
	 * Creates the condition over the real environment, system properties and file system.
	 */
	public VsockLoopbackCondition() {
		this(System::getenv, System::getProperty, Path.of("/"));
	}

	VsockLoopbackCondition(Function<String, String> environment, Function<String, String> properties, Path root) {
		this.environment = environment;
		this.properties = properties;
		this.root = root;
	}

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		String missing = missing();
		if (missing == null) {
			return ConditionEvaluationResult.enabled("inside the test guest with vsock loopback");
		}
		if (Boolean.parseBoolean(this.properties.apply("vsock.required"))) {
			throw new IllegalStateException("This run requires vsock (vsock.required=true) but " + missing
					+ ": run the suite with scripts/test.sh, which boots the test guest");
		}
		return ConditionEvaluationResult.disabled("Not run: " + missing
				+ "; vsock connect tests run only inside the test guest (scripts/test.sh)");
	}

	private String missing() {
		if (!"1".equals(this.environment.apply("VSOCK_GUEST"))) {
			return "this is not the project's test guest (VSOCK_GUEST is not 1)";
		}
		if (!hasLoopbackTransport()) {
			return "the kernel has no vsock_loopback transport (not in /sys/module nor modules.builtin)";
		}
		return null;
	}

	private boolean hasLoopbackTransport() {
		if (Files.isDirectory(this.root.resolve("sys/module/vsock_loopback"))) {
			return true;
		}
		try {
			String release = Files.readString(this.root.resolve("proc/sys/kernel/osrelease")).strip();
			Path builtin = this.root.resolve("lib/modules").resolve(release).resolve("modules.builtin");
			return Files.isRegularFile(builtin)
					&& Files.readAllLines(builtin).stream().anyMatch((line) -> line.endsWith("/vsock_loopback.ko"));
		}
		catch (IOException ex) {
			return false;
		}
	}

}
