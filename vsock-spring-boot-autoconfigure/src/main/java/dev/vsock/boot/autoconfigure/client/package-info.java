/**
 * Auto-configuration that teaches Spring Boot's {@code WebClient.Builder} and
 * {@code RestClient.Builder} the {@code vsock://} URIs.
 */
@NullMarked
package dev.vsock.boot.autoconfigure.client;

import org.jspecify.annotations.NullMarked;
