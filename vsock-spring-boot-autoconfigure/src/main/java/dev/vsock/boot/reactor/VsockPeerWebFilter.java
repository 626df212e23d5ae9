package dev.vsock.boot.reactor;

import io.netty.channel.Channel;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.AbstractServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import dev.vsock.boot.VsockPeer;
import dev.vsock.boot.netty.VsockChannel;

/**
 * Puts the {@link VsockPeer} of a request that came over vsock into the exchange attribute
 * {@link VsockPeer#ATTRIBUTE}; requests over TCP pass untouched.
 */
public class VsockPeerWebFilter implements WebFilter, Ordered {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		VsockPeer peer = peerOf(exchange.getRequest());
		if (peer != null) {
			exchange.getAttributes().put(VsockPeer.ATTRIBUTE, peer);
		}
		return chain.filter(exchange);
	}

	/**
	 * Returns the peer of a request, from the vsock connection under it (for HTTP/2, the
	 * connection under its stream).
	 * @param request the request
	 * @return the peer, or {@code null} when the request did not come over vsock
	 */
	static @Nullable VsockPeer peerOf(ServerHttpRequest request) {
		ServerHttpRequest unwrapped = request;
		while (unwrapped instanceof ServerHttpRequestDecorator decorator) {
			unwrapped = decorator.getDelegate();
		}
		if (unwrapped instanceof AbstractServerHttpRequest server && nativeRequest(server) instanceof Connection connection) {
			for (Channel channel = connection.channel(); channel != null; channel = channel.parent()) {
				if (channel instanceof VsockChannel vsock) {
					return vsock.peer();
				}
			}
		}
		return null;
	}

	private static @Nullable Object nativeRequest(AbstractServerHttpRequest request) {
		try {
			return request.getNativeRequest();
		}
		catch (IllegalStateException ex) {
			// A mock request (WebTestClient bound to a context, @WebFluxTest) has no server under it.
			return null;
		}
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
