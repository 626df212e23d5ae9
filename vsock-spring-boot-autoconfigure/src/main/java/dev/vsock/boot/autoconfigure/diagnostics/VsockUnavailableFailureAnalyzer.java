package dev.vsock.boot.autoconfigure.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.vsock.boot.VsockUnavailableException;

/**
 * Explains why no vsock socket could be opened: the native library for this CPU, or a kernel
 * without AF_VSOCK.
 */
class VsockUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<VsockUnavailableException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, VsockUnavailableException cause) {
		return new FailureAnalysis("The web server could not open a vsock socket. " + cause.getProblem() + ".",
				cause.getAction() + ".", cause);
	}

}
