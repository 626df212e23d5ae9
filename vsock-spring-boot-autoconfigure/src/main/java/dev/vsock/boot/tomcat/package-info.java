/**
 * Tomcat serving HTTP on AF_VSOCK: a Coyote protocol and endpoint on native vsock sockets, and the
 * web server factory that adds it to Spring Boot's Tomcat.
 */
@NullMarked
package dev.vsock.boot.tomcat;

import org.jspecify.annotations.NullMarked;
