/**
 * Actuator health of vsock: transports and listeners.
 */
@NullMarked
package dev.vsock.boot.health;

import org.jspecify.annotations.NullMarked;
