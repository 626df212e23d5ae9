/**
 * JUnit Jupiter support for tests of vsock services: run a test only where the kernel offers a
 * vsock transport, and fail instead of skipping when the run declares vsock required.
 */
@NullMarked
package dev.vsock.boot.test.junit;

import org.jspecify.annotations.NullMarked;
