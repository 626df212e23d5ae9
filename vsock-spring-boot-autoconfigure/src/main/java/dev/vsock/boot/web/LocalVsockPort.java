package dev.vsock.boot.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.beans.factory.annotation.Value;

/**
 * Injects the vsock port the application's web server listens on, like Spring Boot's
 * {@code @LocalServerPort}; inject it as a {@code long}, since vsock ports are unsigned 32-bit.
 */
@Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Value("${local.vsock.port}")
public @interface LocalVsockPort {

}
