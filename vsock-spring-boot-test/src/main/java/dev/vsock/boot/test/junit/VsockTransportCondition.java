package dev.vsock.boot.test.junit;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

import dev.vsock.boot.transport.VsockTransport;
import dev.vsock.boot.transport.VsockTransports;

/**
 * The condition behind {@link EnabledIfVsockTransport}.
 */
public class VsockTransportCondition implements ExecutionCondition {

	/** The system property, or JUnit configuration parameter, that makes a missing transport fail a test. */
	public static final String REQUIRED_PROPERTY = "vsock.required";

	private final Supplier<VsockTransports> detection;

	private final Function<String, String> systemProperties;

	/**
	 * Creates the condition over the kernel's real transports and the real system properties.
	 */
	public VsockTransportCondition() {
		this(VsockTransports::detect, System::getProperty);
	}

	VsockTransportCondition(Supplier<VsockTransports> detection, Function<String, String> systemProperties) {
		this.detection = detection;
		this.systemProperties = systemProperties;
	}

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		Optional<EnabledIfVsockTransport> annotation = AnnotationSupport.findAnnotation(context.getElement(),
				EnabledIfVsockTransport.class);
		if (annotation.isEmpty()) {
			return ConditionEvaluationResult.enabled("no @EnabledIfVsockTransport");
		}
		List<VsockTransport> needed = Arrays.asList(annotation.get().value());
		VsockTransports transports = this.detection.get();
		List<VsockTransport> missing = needed.stream().filter((transport) -> !transports.isAvailable(transport)).toList();
		if (missing.isEmpty()) {
			return ConditionEvaluationResult.enabled("vsock transports " + ids(needed) + " available");
		}
		String reason = "the kernel lacks the vsock transports " + ids(missing) + " (" + transports + ")";
		if (isRequired(context)) {
			throw new ExtensionConfigurationException("This run requires vsock (" + REQUIRED_PROPERTY
					+ "=true) but " + reason + ": load the modules (vsock_loopback for loopback, vhost_vsock for"
					+ " h2g, vmw_vsock_virtio_transport for g2h) or run these tests where they are");
		}
		return ConditionEvaluationResult.disabled("Skipped: " + reason);
	}

	private boolean isRequired(ExtensionContext context) {
		String property = this.systemProperties.apply(REQUIRED_PROPERTY);
		if (property != null && !property.isBlank()) {
			return Boolean.parseBoolean(property.strip());
		}
		return context.getConfigurationParameter(REQUIRED_PROPERTY, Boolean::parseBoolean).orElse(false);
	}

	private static String ids(List<VsockTransport> transports) {
		return String.join(", ", transports.stream().map(VsockTransport::id).toList());
	}

}
