package dev.vsock.boot.autoconfigure.diagnostics;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.web.server.WebServerException;
import org.springframework.mock.env.MockEnvironment;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.VsockBindException;
import dev.vsock.boot.VsockBindException.Reason;

import static org.assertj.core.api.Assertions.assertThat;

class VsockBindFailureAnalyzerTest {

	private final VsockBindFailureAnalyzer analyzer = new VsockBindFailureAnalyzer(new MockEnvironment());

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

	/**
	 * A refused bind on a port from 1024 up is no matter of privileged ports: the kernel refuses
	 * only ports below 1024 for that; a security policy of the machine refused it (seen on a
	 * build machine whose policy forbids vsock port 5001 with EPERM).
	 */
	@Test
	void aRefusedPortFrom1024UpIsBlamedOnThePolicyNotOnPrivileges() {
		FailureAnalysis analysis = analyze(Reason.PERMISSION, VsockAddress.of(VsockAddress.CID_ANY, 5001));
		assertThat(analysis.getDescription()).isEqualTo("The web server could not listen on vsock. Vsock port 5001"
				+ " (vsock://any:5001) is not permitted: not for its number, which is from 1024 up, but by a"
				+ " security policy of this machine (an LSM such as SELinux or AppArmor, seccomp, or a cgroup BPF"
				+ " program).");
		assertThat(analysis.getAction()).doesNotContain("CAP_NET_BIND_SERVICE")
			.contains("server.vsock.port")
			.contains("policy");
		assertThat(analyze(Reason.PERMISSION, VsockAddress.of(VsockAddress.CID_ANY, 1023)).getDescription())
			.contains("ports below 1024 need CAP_NET_BIND_SERVICE");
	}

	/**
	 * The listener that failed is told by its port: the management server's and the gRPC server's
	 * own properties are named, not the application server's.
	 */
	@Test
	void aFailureOfTheManagementOrTheGrpcListenerNamesItsOwnProperties() {
		MockEnvironment environment = new MockEnvironment().withProperty("server.vsock.port", "5000")
			.withProperty("management.server.vsock.port", "5100")
			.withProperty("spring.grpc.server.vsock.port", "5200");
		VsockBindFailureAnalyzer analyzer = new VsockBindFailureAnalyzer(environment);
		FailureAnalysis management = analyze(analyzer, Reason.IN_USE, VsockAddress.of(VsockAddress.CID_ANY, 5100));
		assertThat(management.getDescription()).startsWith("The management server could not listen on vsock.");
		assertThat(management.getAction()).contains("management.server.vsock.port").doesNotContain(" server.vsock.port");
		FailureAnalysis grpc = analyze(analyzer, Reason.ADDRESS_NOT_AVAILABLE, VsockAddress.of(7, 5200));
		assertThat(grpc.getDescription()).startsWith("The gRPC server could not listen on vsock.");
		assertThat(grpc.getAction()).contains("spring.grpc.server.vsock.cid");
		FailureAnalysis server = analyze(analyzer, Reason.IN_USE, VsockAddress.of(VsockAddress.CID_ANY, 5000));
		assertThat(server.getDescription()).startsWith("The web server could not listen on vsock.");
		assertThat(server.getAction()).contains(" server.vsock.port");
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
		return analyze(this.analyzer, reason, address);
	}

	private static FailureAnalysis analyze(VsockBindFailureAnalyzer analyzer, Reason reason, VsockAddress address) {
		VsockBindException bind = new VsockBindException(address, reason, new IOException("bindVSock failed"));
		return analyzer.analyze(new WebServerException("Unable to start Netty on " + address, bind));
	}

}
