package dev.vsock.boot.autoconfigure.diagnostics;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

import dev.vsock.boot.VsockBindException;

/**
 * Explains a vsock listener that could not bind: the port in use, a privileged port, a CID that
 * is not local, or a kernel without AF_VSOCK; naming the server and the properties of the listener
 * that failed (the application server's, the management server's or the gRPC server's), which it
 * tells by the configured port.
 */
class VsockBindFailureAnalyzer extends AbstractFailureAnalyzer<VsockBindException> {

	/** Each listener's property prefix and the server it belongs to; the first is the default. */
	private static final Map<String, String> LISTENERS = new LinkedHashMap<>();

	static {
		LISTENERS.put("server.vsock", "The web server");
		LISTENERS.put("management.server.vsock", "The management server");
		LISTENERS.put("spring.grpc.server.vsock", "The gRPC server");
	}

	private final Environment environment;

	VsockBindFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, VsockBindException cause) {
		String prefix = listenerOf(cause);
		return new FailureAnalysis(LISTENERS.get(prefix) + " could not listen on vsock. " + cause.getProblem() + ".",
				cause.getAction(prefix) + ".", cause);
	}

	private String listenerOf(VsockBindException cause) {
		String port = Long.toString(cause.getAddress().port());
		return LISTENERS.keySet()
			.stream()
			.filter((prefix) -> port.equals(this.environment.getProperty(prefix + ".port")))
			.findFirst()
			.orElse("server.vsock");
	}

}
