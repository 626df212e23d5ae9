/**
 * Failure analysis for vsock start-up failures.
 */
@NullMarked
package dev.vsock.boot.autoconfigure.diagnostics;

import org.jspecify.annotations.NullMarked;
