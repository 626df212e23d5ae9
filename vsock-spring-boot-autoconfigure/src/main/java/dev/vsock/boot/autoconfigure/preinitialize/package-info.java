/**
 * Work the starter hands to Spring Boot's background pre-initialization thread.
 */
@NullMarked
package dev.vsock.boot.autoconfigure.preinitialize;

import org.jspecify.annotations.NullMarked;
