/**
 * gRPC over vsock: a gRPC server factory whose servers listen on AF_VSOCK (or hybrid vsock's Unix
 * socket) with the admission rules of every vsock listener, the peer's CID in the call's
 * {@code Context}, and client channels to {@code vsock://CID:PORT} targets, all on grpc-java's
 * Netty transport.
 */
@NullMarked
package dev.vsock.boot.grpc;

import org.jspecify.annotations.NullMarked;
