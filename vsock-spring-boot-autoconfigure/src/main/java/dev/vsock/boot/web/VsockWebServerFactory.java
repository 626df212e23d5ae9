package dev.vsock.boot.web;

import dev.vsock.boot.VsockAddress;

/**
 * A web server factory whose servers listen on vsock: the mark the start-up check looks for, so
 * that {@code server.vsock.port} is never ignored by a server that cannot serve it.
 */
public interface VsockWebServerFactory {

	/**
	 * Returns the vsock address the servers listen on.
	 * @return the address
	 */
	VsockAddress getVsockAddress();

}
