/**
 * What the vsock listeners of Tomcat and Reactor Netty have in common.
 */
@NullMarked
package dev.vsock.boot.web;

import org.jspecify.annotations.NullMarked;
