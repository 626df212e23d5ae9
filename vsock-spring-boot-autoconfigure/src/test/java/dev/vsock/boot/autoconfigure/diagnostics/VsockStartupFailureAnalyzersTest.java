package dev.vsock.boot.autoconfigure.diagnostics;

import java.io.IOException;

import io.netty.channel.ChannelException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.vsock.boot.VsockGrpcTransportMissingException;
import dev.vsock.boot.VsockServerNotSupportedException;
import dev.vsock.boot.VsockUnavailableException;
import dev.vsock.boot.VsockUnavailableException.Reason;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start-up failures other than a bind: no vsock at all, and a web server that cannot serve it.
 */
class VsockStartupFailureAnalyzersTest {

	@Test
	void aKernelWithoutVsockNamesTheModulesToLoad() {
		VsockUnavailableException ex = new VsockUnavailableException(Reason.KERNEL_WITHOUT_VSOCK,
				new ChannelException(new IOException("newVSockStream(..) failed: Address family not supported by protocol")));
		FailureAnalysis analysis = new VsockUnavailableFailureAnalyzer()
			.analyze(new BeanCreationException("webServer", "failed", ex));
		assertThat(analysis.getDescription()).startsWith("The web server could not open a vsock socket.")
			.contains("Address family not supported");
		assertThat(analysis.getAction()).contains("modprobe vmw_vsock_virtio_transport")
			.contains("vhost_vsock")
			.contains("vsock_loopback")
			.contains("seccomp");
	}

	@Test
	void aMissingNativeLibraryNamesThePlatformAndTheArtifact() {
		VsockUnavailableException ex = new VsockUnavailableException(Reason.NATIVE_LIBRARY_MISSING,
				new UnsatisfiedLinkError("failed to load the required native library"));
		FailureAnalysis analysis = new VsockUnavailableFailureAnalyzer().analyze(ex);
		assertThat(analysis.getDescription()).contains(System.getProperty("os.arch"))
			.contains("failed to load the required native library");
		assertThat(analysis.getAction()).contains("netty-transport-native-epoll");
	}

	@Test
	void aServerThatCannotServeVsockIsNamedWithTheWayOut() {
		String jetty = "org.springframework.boot.jetty.servlet.JettyServletWebServerFactory";
		FailureAnalysis analysis = new VsockServerNotSupportedFailureAnalyzer()
			.analyze(new BeanCreationException("webServerFactory", "failed",
					new VsockServerNotSupportedException("server.vsock.port", jetty)));
		assertThat(analysis.getDescription()).contains(jetty).contains("server.vsock.port");
		assertThat(analysis.getAction()).contains("spring-boot-starter-webmvc")
			.contains("spring-boot-starter-webflux")
			.contains("remove server.vsock.port");
	}

	@Test
	void aGrpcServerWithOnlyTheShadedTransportSaysWhatToPutInThePom() {
		FailureAnalysis analysis = new VsockGrpcTransportMissingFailureAnalyzer()
			.analyze(new BeanCreationException("vsockGrpcTransportCheck", "failed",
					new VsockGrpcTransportMissingException(true)));
		assertThat(analysis.getDescription()).contains("spring.grpc.server.vsock.port")
			.contains("io.grpc:grpc-netty-shaded");
		assertThat(analysis.getAction()).contains("spring-boot-starter-grpc-server")
			.contains("exclude io.grpc:grpc-netty-shaded")
			.contains("remove spring.grpc.server.vsock.port");
	}

}
