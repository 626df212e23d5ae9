/**
 * AF_VSOCK addresses and peers, the types an application sees.
 */
@NullMarked
package dev.vsock.boot;

import org.jspecify.annotations.NullMarked;
