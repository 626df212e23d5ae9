package dev.vsock.boot.test.junit;

import java.io.IOException;
import java.lang.reflect.AnnotatedElement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;

import dev.vsock.boot.transport.VsockTransport;
import dev.vsock.boot.transport.VsockTransports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * The condition against fake {@code /sys} trees: enabled, skipped with the reason, or failed when
 * the run requires vsock.
 */
class VsockTransportConditionTest {

	@TempDir
	Path root;

	@Test
	void enabledWhereTheKernelHasLoopback() throws IOException {
		modules("vsock", "vsock_loopback");
		ConditionEvaluationResult result = condition(Map.of()).evaluateExecutionCondition(context(NeedsLoopback.class));
		assertThat(result.isDisabled()).isFalse();
		assertThat(result.getReason()).hasValue("vsock transports loopback available");
	}

	@Test
	void skippedWithTheReasonWhereATransportIsMissing() throws IOException {
		modules("vsock", "vsock_loopback");
		ConditionEvaluationResult result = condition(Map.of())
			.evaluateExecutionCondition(context(NeedsLoopbackAndHostToGuest.class));
		assertThat(result.isDisabled()).isTrue();
		assertThat(result.getReason().orElseThrow()).startsWith("Skipped: the kernel lacks the vsock transports h2g (")
			.contains("loopback=loopback");
	}

	@Test
	void failsInsteadWhenTheRunRequiresVsock() {
		VsockTransportCondition condition = condition(Map.of("vsock.required", "true"));
		assertThatExceptionOfType(ExtensionConfigurationException.class)
			.isThrownBy(() -> condition.evaluateExecutionCondition(context(NeedsLoopback.class)))
			.withMessageStartingWith("This run requires vsock (vsock.required=true) but the kernel lacks the vsock"
					+ " transports loopback")
			.withMessageContaining("load the modules (vsock_loopback for loopback");
	}

	@Test
	void aJUnitConfigurationParameterCanRequireVsockToo() {
		ExtensionContext context = context(NeedsLoopback.class);
		given(context.getConfigurationParameter(eq("vsock.required"), any())).willReturn(Optional.of(true));
		assertThatExceptionOfType(ExtensionConfigurationException.class)
			.isThrownBy(() -> condition(Map.of()).evaluateExecutionCondition(context));
	}

	@Test
	void aFalseSystemPropertyWinsOverTheConfigurationParameter() {
		ExtensionContext context = context(NeedsLoopback.class);
		given(context.getConfigurationParameter(eq("vsock.required"), any())).willReturn(Optional.of(true));
		assertThat(condition(Map.of("vsock.required", "false")).evaluateExecutionCondition(context).isDisabled())
			.isTrue();
	}

	@Test
	void enabledWithoutTheAnnotation() {
		assertThat(condition(Map.of("vsock.required", "true")).evaluateExecutionCondition(context(String.class))
			.isDisabled()).isFalse();
	}

	private VsockTransportCondition condition(Map<String, String> systemProperties) {
		Function<String, String> properties = systemProperties::get;
		return new VsockTransportCondition(() -> VsockTransports.detect(this.root, OptionalLong.empty()), properties);
	}

	private static ExtensionContext context(AnnotatedElement element) {
		ExtensionContext context = mock(ExtensionContext.class);
		given(context.getElement()).willReturn(Optional.of(element));
		given(context.getConfigurationParameter(eq("vsock.required"), any())).willReturn(Optional.empty());
		return context;
	}

	private void modules(String... names) throws IOException {
		for (String name : names) {
			Files.createDirectories(this.root.resolve("sys/module").resolve(name));
		}
	}

	@EnabledIfVsockTransport(VsockTransport.LOOPBACK)
	static class NeedsLoopback {

	}

	@EnabledIfVsockTransport({ VsockTransport.LOOPBACK, VsockTransport.H2G })
	static class NeedsLoopbackAndHostToGuest {

	}

}
