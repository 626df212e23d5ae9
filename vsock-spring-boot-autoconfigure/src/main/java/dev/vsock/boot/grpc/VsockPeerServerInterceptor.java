package dev.vsock.boot.grpc;

import java.net.SocketAddress;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import org.jspecify.annotations.Nullable;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.VsockPeer;

/**
 * Makes the vsock peer of a gRPC call available to the service and the interceptors after this
 * one: {@link #currentPeer()} in the call's {@link Context}, {@code null} for calls that did not
 * come over AF_VSOCK (TCP, or hybrid vsock's Unix socket, where the peer is the VMM).
 */
public final class VsockPeerServerInterceptor implements ServerInterceptor {

	/**
	 * The key of the caller's {@link VsockPeer} in a call's {@link Context}.
	 */
	public static final Context.Key<VsockPeer> PEER = Context.key("vsock-peer");

	/**
	 * Returns the vsock peer of the call being served on this thread.
	 * @return the peer, or {@code null} outside a call or for a call that did not come over
	 * AF_VSOCK
	 */
	public static @Nullable VsockPeer currentPeer() {
		return PEER.get();
	}

	@Override
	public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
			ServerCallHandler<Q, R> next) {
		SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
		SocketAddress local = call.getAttributes().get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR);
		if (remote instanceof VsockAddress peer && local instanceof VsockAddress self) {
			return Contexts.interceptCall(Context.current().withValue(PEER, new VsockPeer(peer, self)), call,
					headers, next);
		}
		return next.startCall(call, headers);
	}

}
