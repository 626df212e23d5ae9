/**
 * systemd's service protocols over vsock and Unix sockets: readiness notification
 * ({@code NOTIFY_SOCKET}).
 */
@NullMarked
package dev.vsock.boot.systemd;

import org.jspecify.annotations.NullMarked;
