/**
 * Auto-configuration of systemd's readiness notification over vsock and Unix sockets.
 */
@NullMarked
package dev.vsock.boot.autoconfigure.systemd;

import org.jspecify.annotations.NullMarked;
