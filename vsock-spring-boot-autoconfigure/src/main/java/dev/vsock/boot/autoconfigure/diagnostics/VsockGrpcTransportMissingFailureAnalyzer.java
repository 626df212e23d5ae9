package dev.vsock.boot.autoconfigure.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.vsock.boot.VsockGrpcTransportMissingException;

/**
 * Explains a {@code spring.grpc.server.vsock.port} without grpc-java's unshaded Netty transport,
 * saying what to put in the pom.
 */
class VsockGrpcTransportMissingFailureAnalyzer extends AbstractFailureAnalyzer<VsockGrpcTransportMissingException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, VsockGrpcTransportMissingException cause) {
		return new FailureAnalysis("spring.grpc.server.vsock.port is set, but the gRPC server cannot listen on vsock:"
				+ " it needs grpc-java's Netty transport, io.grpc:grpc-netty"
				+ (cause.isShaded() ? ", and only the shaded one (io.grpc:grpc-netty-shaded) is on the classpath,"
						+ " whose relocated copy of Netty cannot take vsock channels." : ", which is not on the classpath."),
				"Depend on org.springframework.boot:spring-boot-starter-grpc-server, which brings io.grpc:grpc-netty,"
						+ (cause.isShaded() ? " and exclude io.grpc:grpc-netty-shaded from the dependency that brings it;" : "")
						+ " or add io.grpc:grpc-netty (its version is managed by Spring Boot's BOM); or remove"
						+ " spring.grpc.server.vsock.port.",
				cause);
	}

}
