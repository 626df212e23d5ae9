/**
 * The benchmark of issue 10: raw AF_VSOCK against TCP, HTTP over vsock against TCP and a socat
 * relay on Tomcat and Reactor Netty, and what the starter costs. {@code bench/run.sh} runs it.
 */
@NullMarked
package dev.vsock.boot.bench;

import org.jspecify.annotations.NullMarked;
