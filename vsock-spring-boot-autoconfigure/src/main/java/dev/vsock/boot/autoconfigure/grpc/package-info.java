/**
 * Auto-configuration of gRPC over vsock: the gRPC server's vsock listener
 * ({@code spring.grpc.server.vsock.*}) and channels to {@code vsock://} targets.
 */
@NullMarked
package dev.vsock.boot.autoconfigure.grpc;

import org.jspecify.annotations.NullMarked;
