package dev.vsock.boot.sample;

import java.time.Duration;
import java.time.Instant;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import org.springframework.stereotype.Service;

import dev.vsock.boot.VsockPeer;
import dev.vsock.boot.grpc.VsockPeerServerInterceptor;
import dev.vsock.boot.sample.grpc.AgentGrpc;
import dev.vsock.boot.sample.grpc.StatusReply;
import dev.vsock.boot.sample.grpc.StatusRequest;
import dev.vsock.boot.sample.grpc.Tick;
import dev.vsock.boot.sample.grpc.WatchRequest;

/**
 * The agent's gRPC service (src/main/proto/agent.proto), served by Spring Boot's gRPC server on
 * vsock: its status with the caller's CID (unary), and a stream of ticks (server streaming).
 */
@Service
class AgentGrpcService extends AgentGrpc.AgentImplBase {

	private static final int MAX_TICKS = 100;

	private static final int MAX_INTERVAL_MILLIS = 1000;

	private final Instant started = Instant.now();

	@Override
	public void status(StatusRequest request, StreamObserver<StatusReply> reply) {
		VsockPeer caller = VsockPeerServerInterceptor.currentPeer();
		reply.onNext(StatusReply.newBuilder()
			.setAgent("up")
			.setUptimeSeconds(Duration.between(this.started, Instant.now()).toSeconds())
			.setCallerCid((caller != null) ? caller.cid() : -1)
			.build());
		reply.onCompleted();
	}

	@Override
	public void watch(WatchRequest request, StreamObserver<Tick> ticks) {
		if (request.getCount() < 1 || request.getCount() > MAX_TICKS || request.getIntervalMillis() < 0
				|| request.getIntervalMillis() > MAX_INTERVAL_MILLIS) {
			ticks.onError(Status.INVALID_ARGUMENT
				.withDescription("count must be 1 to " + MAX_TICKS + " and interval_millis 0 to " + MAX_INTERVAL_MILLIS)
				.asRuntimeException());
			return;
		}
		try {
			for (int sequence = 1; sequence <= request.getCount(); sequence++) {
				if (sequence > 1) {
					Thread.sleep(request.getIntervalMillis());
				}
				ticks.onNext(Tick.newBuilder()
					.setSequence(sequence)
					.setUptimeMillis(Duration.between(this.started, Instant.now()).toMillis())
					.build());
			}
			ticks.onCompleted();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			ticks.onError(Status.CANCELLED.withCause(ex).asRuntimeException());
		}
	}

}
