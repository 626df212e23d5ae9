/**
 * Firecracker-style hybrid vsock on the host: the guest's vsock device is a Unix socket,
 * connections to the guest start with {@code CONNECT <port>}, and the guest's connections to the
 * host arrive on {@code <uds_path>_<port>}.
 */
@NullMarked
package dev.vsock.boot.hybrid;

import org.jspecify.annotations.NullMarked;
