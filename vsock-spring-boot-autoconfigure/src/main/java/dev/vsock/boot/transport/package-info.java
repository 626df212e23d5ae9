/**
 * Which vsock transports this machine offers, found without connecting.
 */
@NullMarked
package dev.vsock.boot.transport;

import org.jspecify.annotations.NullMarked;
