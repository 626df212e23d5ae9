package dev.vsock.boot.bench;

import java.io.IOException;
import java.time.Duration;

import io.netty.util.NetUtil;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.client.VsockClientSettings;
import dev.vsock.boot.client.VsockClients;

/**
 * The relay users run today instead of the starter,
 * {@code socat VSOCK-LISTEN:<port>,fork,reuseaddr,backlog=<somaxconn> TCP:127.0.0.1:<tcp port>}, as
 * a child process. The backlog is the servers' own (the kernel's {@code somaxconn}, as both vsock
 * listeners have it): a vsock listener whose accept queue is full answers a connection request
 * with a reset, where TCP lets the client try again, and with socat's default backlog, 5, the relay
 * refuses connections whenever more than five wait for its one accepting process, which measures
 * its queue rather than its relaying: the relay's failed requests in every run up to 4 December,
 * 1,300 to 1,581 a round at 16 connections with a connection per request, were that, and none
 * failed with the servers' backlog (trial K, 4 December; the reading of docs/benchmarks.md).
 * @param vsockPort the vsock port socat listens on
 * @param process the socat process
 */
record SocatRelay(long vsockPort, Process process) {

	/** The backlog socat listens with: the kernel's {@code somaxconn}, as the servers' listeners. */
	static final int BACKLOG = NetUtil.SOMAXCONN;

	static SocatRelay start(long vsockPort, int tcpPort) throws IOException {
		Process process = new ProcessBuilder("socat",
				"VSOCK-LISTEN:" + vsockPort + ",fork,reuseaddr,backlog=" + BACKLOG, "TCP:127.0.0.1:" + tcpPort)
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		SocatRelay relay = new SocatRelay(vsockPort, process);
		relay.awaitListening();
		return relay;
	}

	/** One request through the relay, retried until socat listens: it starts asynchronously. */
	private void awaitListening() {
		VsockClients
			.webClient(VsockAddress.CID_LOCAL, this.vsockPort,
					VsockClientSettings.defaults().withConnectRetries(50, Duration.ofMillis(100)))
			.get()
			.uri(Endpoints.JSON)
			.retrieve()
			.toBodilessEntity()
			.block(Duration.ofMinutes(1));
	}

	/**
	 * Whether socat still has forked children: each serves one connection and exits after it.
	 * @return whether a child is still running
	 */
	boolean hasChildren() {
		return this.process.children().findAny().isPresent();
	}

	void stop() {
		this.process.destroy();
	}

}
