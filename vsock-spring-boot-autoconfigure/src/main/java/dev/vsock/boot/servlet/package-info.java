/**
 * Spring MVC support for vsock: the caller of a request as a controller argument.
 */
@NullMarked
package dev.vsock.boot.servlet;

import org.jspecify.annotations.NullMarked;
