package dev.vsock.boot.servlet;

import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

import dev.vsock.boot.VsockPeer;

/**
 * Resolves a Spring MVC controller argument of type {@link VsockPeer}: the caller of a request
 * that came over vsock, {@code null} for one that came over TCP.
 */
public class VsockPeerMvcArgumentResolver implements HandlerMethodArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return VsockPeer.class.equals(parameter.getParameterType());
	}

	@Override
	public @Nullable Object resolveArgument(MethodParameter parameter, @Nullable ModelAndViewContainer mavContainer,
			NativeWebRequest webRequest, @Nullable WebDataBinderFactory binderFactory) {
		return webRequest.getAttribute(VsockPeer.ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
	}

}
