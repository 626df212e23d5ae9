/**
 * Micrometer meters for vsock: transport availability and, per listener, connections and bytes.
 */
@NullMarked
package dev.vsock.boot.metrics;

import org.jspecify.annotations.NullMarked;
