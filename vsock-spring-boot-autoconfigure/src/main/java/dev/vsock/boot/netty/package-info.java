/**
 * Netty channels over AF_VSOCK, built on Netty's epoll transport.
 */
@NullMarked
package dev.vsock.boot.netty;

import org.jspecify.annotations.NullMarked;
