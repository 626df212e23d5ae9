package dev.vsock.boot.autoconfigure.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches unless a vsock listener falls back to TCP: {@code server.vsock.fallback-to-tcp} is
 * true, this machine cannot open an AF_VSOCK socket, and the server has a TCP port to serve on
 * instead (the property {@link #tcpPort()} is not -1). A listener that falls back is not created,
 * and a warning says so.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@Conditional(OnVsockOrNoFallbackCondition.class)
public @interface ConditionalOnVsockOrNoFallback {

	/**
	 * Returns the property of the server's TCP port, for example {@code server.port}.
	 * @return the property
	 */
	String tcpPort();

	/**
	 * Returns the TCP port the server has when the property is not set.
	 * @return the default port
	 */
	int defaultTcpPort();

}
