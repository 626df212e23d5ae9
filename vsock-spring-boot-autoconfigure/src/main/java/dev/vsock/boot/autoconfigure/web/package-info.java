/**
 * Configuration shared by the vsock listeners of every embedded web server.
 */
@NullMarked
package dev.vsock.boot.autoconfigure.web;

import org.jspecify.annotations.NullMarked;
