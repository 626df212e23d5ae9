package dev.vsock.boot.autoconfigure.web;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

import dev.vsock.boot.VsockAddress;

/**
 * Configuration of a vsock listener for the separate management server (when
 * {@code management.server.port} moves actuator to a server of its own), so that a host can
 * probe health over vsock.
 */
@ConfigurationProperties("management.server.vsock")
public class VsockManagementServerProperties {

	/**
	 * Vsock port the separate management server listens on, from 1 to 4294967295; 0 lets the
	 * kernel pick one, published as 'local.management.vsock.port'. Needs management.server.port.
	 */
	private @Nullable Long port;

	/**
	 * Local CID the management server listens on: 'any', 'local', 'host' or a number.
	 */
	private String cid = "any";

	public @Nullable Long getPort() {
		return this.port;
	}

	public void setPort(@Nullable Long port) {
		if (port != null) {
			VsockAddress.parsePort(port.toString());
		}
		this.port = port;
	}

	public String getCid() {
		return this.cid;
	}

	public void setCid(String cid) {
		VsockAddress.parseCid(cid);
		this.cid = cid;
	}

	/**
	 * Returns the address to bind, or {@code null} when no port is set.
	 * @return the address
	 */
	public @Nullable VsockAddress toAddress() {
		return (this.port != null) ? VsockAddress.of(VsockAddress.parseCid(this.cid), this.port) : null;
	}

}
