/**
 * Reactor Netty serving HTTP on vsock.
 */
@NullMarked
package dev.vsock.boot.reactor;

import org.jspecify.annotations.NullMarked;
