/**
 * Helpers for tests of vsock services.
 */
@NullMarked
package dev.vsock.boot.test;

import org.jspecify.annotations.NullMarked;
