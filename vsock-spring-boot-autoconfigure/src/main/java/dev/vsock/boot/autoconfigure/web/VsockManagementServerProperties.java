package dev.vsock.boot.autoconfigure.web;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of a vsock listener for the separate management server (when
 * {@code management.server.port} moves actuator to a server of its own), so that a host can
 * probe health over vsock. It admits peers by {@code server.vsock}'s rules unless it has its own.
 */
@ConfigurationProperties("management.server.vsock")
public class VsockManagementServerProperties extends VsockInheritingListenerProperties {

}
