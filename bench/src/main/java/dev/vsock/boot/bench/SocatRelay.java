package dev.vsock.boot.bench;

import java.io.IOException;
import java.time.Duration;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.client.VsockClientSettings;
import dev.vsock.boot.client.VsockClients;

/**
 * The relay users run today instead of the starter,
 * {@code socat VSOCK-LISTEN:<port>,fork,reuseaddr TCP:127.0.0.1:<tcp port>}, as a child process.
 * @param vsockPort the vsock port socat listens on
 * @param process the socat process
 */
record SocatRelay(long vsockPort, Process process) {

	static SocatRelay start(long vsockPort, int tcpPort) throws IOException {
		Process process = new ProcessBuilder("socat", "VSOCK-LISTEN:" + vsockPort + ",fork,reuseaddr",
				"TCP:127.0.0.1:" + tcpPort)
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
