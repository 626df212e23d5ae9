/**
 * Calling HTTP services over vsock.
 */
@NullMarked
package dev.vsock.boot.client;

import org.jspecify.annotations.NullMarked;
