package dev.vsock.boot.autoconfigure.web;

import org.jspecify.annotations.Nullable;

import dev.vsock.boot.VsockAddress;

/**
 * The address of a vsock listener, as {@code server.vsock} and {@code management.server.vsock}
 * both configure it.
 */
public abstract class VsockListenerProperties {

	/**
	 * Vsock port to listen on, from 1 to 4294967295 (unsigned 32-bit); 0 lets the kernel pick a
	 * free port, published as 'local.vsock.port' ('local.management.vsock.port' for the
	 * management server, 'local.grpc.server.vsock.port' for the gRPC server). Setting it switches
	 * the vsock listener on.
	 */
	private @Nullable Long port;

	/**
	 * Local context id (CID) to listen on: 'any' or '-1' (every local CID), 'hypervisor' (0),
	 * 'local' (1, loopback), 'host' (2) or a number from 0 to 4294967295.
	 */
	private String cid = "any";

	/** {@link #cid}, parsed once, when it is bound. */
	private long parsedCid = VsockAddress.CID_ANY;

	/**
	 * Name (FileDescriptorName= of the .socket unit, as LISTEN_FDNAMES passes it) of the listening
	 * vsock socket the service manager passed that this listener serves on instead of binding. Its
	 * port must be the configured one, unless that is 0, which takes the port of the socket. Unset,
	 * a passed listening vsock socket bound to the configured port is served on, if there is one.
	 */
	private @Nullable String fdName;

	public @Nullable Long getPort() {
		return this.port;
	}

	public void setPort(@Nullable Long port) {
		if (port != null) {
			// The rule every vsock address follows, checked where the value is bound.
			VsockAddress.of(VsockAddress.CID_ANY, port);
		}
		this.port = port;
	}

	public String getCid() {
		return this.cid;
	}

	public void setCid(String cid) {
		this.parsedCid = VsockAddress.parseCid(cid);
		this.cid = cid;
	}

	public @Nullable String getFdName() {
		return this.fdName;
	}

	public void setFdName(@Nullable String fdName) {
		this.fdName = fdName;
	}

	/**
	 * Returns the address to bind, port 0 standing for any free port.
	 * @return the address, or {@code null} when no port is set
	 */
	public @Nullable VsockAddress toAddress() {
		return (this.port != null) ? VsockAddress.of(this.parsedCid, this.port) : null;
	}

}
