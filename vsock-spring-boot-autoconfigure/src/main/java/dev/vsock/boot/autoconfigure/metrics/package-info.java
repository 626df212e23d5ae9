/**
 * Auto-configuration of the vsock meters.
 */
@NullMarked
package dev.vsock.boot.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
