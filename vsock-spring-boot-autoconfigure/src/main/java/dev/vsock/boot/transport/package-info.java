/**
 * Which vsock transports this machine offers, found without connecting. "Transport" is the
 * kernel's word here: the drivers that carry vsock (the virtio guest-to-host transport, vhost
 * host-to-guest, loopback and the hypervisors' own), not Netty's epoll transport, whose channels
 * for vsock are in {@code dev.vsock.boot.netty}.
 */
@NullMarked
package dev.vsock.boot.transport;

import org.jspecify.annotations.NullMarked;
