package dev.vsock.boot.reactor;

import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.SyncHandlerMethodArgumentResolver;
import org.springframework.web.server.ServerWebExchange;

import dev.vsock.boot.VsockPeer;

/**
 * Resolves a WebFlux controller argument of type {@link VsockPeer}: the caller of a request that
 * came over vsock, {@code null} for one that came over TCP.
 */
public class VsockPeerWebFluxArgumentResolver implements SyncHandlerMethodArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return VsockPeer.class.equals(parameter.getParameterType());
	}

	@Override
	public @Nullable Object resolveArgumentValue(MethodParameter parameter, BindingContext bindingContext,
			ServerWebExchange exchange) {
		return exchange.getAttribute(VsockPeer.ATTRIBUTE);
	}

}
