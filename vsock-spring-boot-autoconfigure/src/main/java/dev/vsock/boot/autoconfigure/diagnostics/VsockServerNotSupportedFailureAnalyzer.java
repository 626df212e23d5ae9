package dev.vsock.boot.autoconfigure.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.vsock.boot.VsockServerNotSupportedException;

/**
 * Explains a {@code server.vsock.port} on a web server this starter does not serve vsock on.
 */
class VsockServerNotSupportedFailureAnalyzer extends AbstractFailureAnalyzer<VsockServerNotSupportedException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, VsockServerNotSupportedException cause) {
		return new FailureAnalysis(
				cause.getProperty() + " is set, but the web server (" + cause.getFactoryType()
						+ ") cannot listen on vsock.",
				"Use Spring MVC on Tomcat (spring-boot-starter-webmvc) or WebFlux on Reactor Netty"
						+ " (spring-boot-starter-webflux), leaving the web server factory to Spring Boot and this"
						+ " starter; or remove " + cause.getProperty() + ".",
				cause);
	}

}
