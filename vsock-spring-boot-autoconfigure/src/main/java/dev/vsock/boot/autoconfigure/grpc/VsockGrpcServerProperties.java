package dev.vsock.boot.autoconfigure.grpc;

import org.springframework.boot.context.properties.ConfigurationProperties;

import dev.vsock.boot.autoconfigure.web.VsockInheritingListenerProperties;

/**
 * Configuration of a vsock listener for Spring Boot's gRPC server, which serves there the
 * services, interceptors and settings of its TCP server, beside it, or instead of it when
 * {@code spring.grpc.server.port} is -1. It admits peers by {@code server.vsock}'s rules unless it
 * has its own.
 */
@ConfigurationProperties("spring.grpc.server.vsock")
public class VsockGrpcServerProperties extends VsockInheritingListenerProperties {

}
