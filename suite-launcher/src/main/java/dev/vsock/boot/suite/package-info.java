/**
 * The suite's own test launcher: a module's tests in one JVM, without Maven.
 */
@NullMarked
package dev.vsock.boot.suite;

import org.jspecify.annotations.NullMarked;
