package dev.vsock.boot.autoconfigure.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.vsock.boot.VsockBindException;

/**
 * Explains a vsock listener that could not bind: the port in use, a privileged port, a CID that
 * is not local, or a kernel without AF_VSOCK.
 */
class VsockBindFailureAnalyzer extends AbstractFailureAnalyzer<VsockBindException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, VsockBindException cause) {
		return new FailureAnalysis("The web server could not listen on vsock. " + cause.getProblem() + ".",
				cause.getAction() + ".", cause);
	}

}
