/**
 * What Spring AOT and GraalVM's native image must know of the starter.
 */
@NullMarked
package dev.vsock.boot.autoconfigure.aot;

import org.jspecify.annotations.NullMarked;
