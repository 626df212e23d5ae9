package dev.vsock.boot.web;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.VsockAllowedCids;

/**
 * A listener of the application's web server with fixed state, for tests of what reads
 * listeners (health, metrics).
 *
 * @param serverKind the server kind
 * @param address the address
 * @param isListening whether it listens
 * @param openConnections the open connections
 * @param admission who may connect, with the counters
 */
public record FakeVsockListener(String serverKind, VsockAddress address, boolean isListening, int openConnections,
		VsockAdmission admission) implements VsockListener {

	/**
	 * Returns a Reactor Netty listener on any CID, port 5000.
	 * @param isListening whether it listens
	 * @param openConnections the open connections
	 * @return the listener
	 */
	public static FakeVsockListener reactorOn5000(boolean isListening, int openConnections) {
		return new FakeVsockListener("reactor-netty", VsockAddress.of(VsockAddress.CID_ANY, 5000), isListening,
				openConnections, new VsockAdmission(VsockAllowedCids.ANY, 0));
	}

	@Override
	public String serverName() {
		return "server";
	}

}
