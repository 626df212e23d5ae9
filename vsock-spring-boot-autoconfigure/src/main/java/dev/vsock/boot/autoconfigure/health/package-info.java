/**
 * Auto-configuration of vsock's actuator health.
 */
@NullMarked
package dev.vsock.boot.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
