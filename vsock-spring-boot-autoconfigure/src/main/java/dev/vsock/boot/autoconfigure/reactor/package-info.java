/**
 * Auto-configuration of Reactor Netty serving on vsock.
 */
@NullMarked
package dev.vsock.boot.autoconfigure.reactor;

import org.jspecify.annotations.NullMarked;
