package dev.vsock.boot.autoconfigure.diagnostics;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.web.server.WebServerException;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.VsockBindException;
import dev.vsock.boot.VsockBindException.Reason;

import static org.assertj.core.api.Assertions.assertThat;

class VsockBindFailureAnalyzerTest {

	private final VsockBindFailureAnalyzer analyzer = new VsockBindFailureAnalyzer();

	@Test
	void aPortInUseNamesThePortAndTheProperty() {
		FailureAnalysis analysis = analyze(Reason.IN_USE, VsockAddress.of(VsockAddress.CID_ANY, 5000));
		assertThat(analysis.getDescription())
			.isEqualTo("The web server could not listen on vsock. Vsock port 5000 (vsock://any:5000) is already in use.");
		assertThat(analysis.getAction()).contains("vsock port 5000").contains("server.vsock.port");
	}

	@Test
	void eachReasonHasItsOwnAction() {
		VsockAddress address = VsockAddress.of(1, 80);
		assertThat(analyze(Reason.PERMISSION, address).getAction()).contains("CAP_NET_BIND_SERVICE");
		assertThat(analyze(Reason.ADDRESS_NOT_AVAILABLE, address).getDescription()).contains("CID 1");
		assertThat(analyze(Reason.ADDRESS_NOT_AVAILABLE, address).getAction()).contains("server.vsock.cid");
		assertThat(analyze(Reason.NOT_SUPPORTED, address).getAction()).contains("vsock_loopback");
	}

	@Test
	void theErrnoOfBindGivesTheReason() {
		assertThat(VsockBindException.reasonOf(98)).isEqualTo(Reason.IN_USE);
		assertThat(VsockBindException.reasonOf(13)).isEqualTo(Reason.PERMISSION);
		assertThat(VsockBindException.reasonOf(99)).isEqualTo(Reason.ADDRESS_NOT_AVAILABLE);
		assertThat(VsockBindException.reasonOf(97)).isEqualTo(Reason.NOT_SUPPORTED);
		assertThat(VsockBindException.reasonOf(5)).isEqualTo(Reason.OTHER);
	}

	private FailureAnalysis analyze(Reason reason, VsockAddress address) {
		VsockBindException bind = new VsockBindException(address, reason, new IOException("bindVSock failed"));
		return this.analyzer.analyze(new WebServerException("Unable to start Netty on " + address, bind));
	}

}
