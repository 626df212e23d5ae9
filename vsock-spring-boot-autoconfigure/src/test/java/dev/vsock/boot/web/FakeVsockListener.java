package dev.vsock.boot.web;

import dev.vsock.boot.VsockAddress;

/**
 * A listener of the application's web server with fixed state, for tests of what reads
 * listeners (health, metrics).
 *
 * @param serverKind the server kind
 * @param address the address
 * @param isListening whether it listens
 * @param openConnections the open connections
 * @param counters the counters
 */
public record FakeVsockListener(String serverKind, VsockAddress address, boolean isListening, int openConnections,
		VsockConnectionCounters counters) implements VsockListener {

	/**
	 * Returns a Reactor Netty listener on any CID, port 5000.
	 * @param isListening whether it listens
	 * @param openConnections the open connections
	 * @return the listener
	 */
	public static FakeVsockListener reactorOn5000(boolean isListening, int openConnections) {
		return new FakeVsockListener("reactor-netty", VsockAddress.of(VsockAddress.CID_ANY, 5000), isListening,
				openConnections, new VsockConnectionCounters());
	}

	@Override
	public String serverName() {
		return "server";
	}

}
