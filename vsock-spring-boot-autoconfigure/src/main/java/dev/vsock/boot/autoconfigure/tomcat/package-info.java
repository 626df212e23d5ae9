/**
 * Auto-configuration of Tomcat serving on vsock.
 */
@NullMarked
package dev.vsock.boot.autoconfigure.tomcat;

import org.jspecify.annotations.NullMarked;
