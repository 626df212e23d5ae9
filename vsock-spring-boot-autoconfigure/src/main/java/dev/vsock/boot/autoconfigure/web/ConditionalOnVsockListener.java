package dev.vsock.boot.autoconfigure.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/**
 * Matches when the web server should listen on vsock: {@code server.vsock.port} is set and
 * {@code server.vsock.enabled} is not false.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@ConditionalOnProperty(prefix = "server.vsock", name = "port")
@ConditionalOnBooleanProperty(name = "server.vsock.enabled", matchIfMissing = true)
public @interface ConditionalOnVsockListener {

}
