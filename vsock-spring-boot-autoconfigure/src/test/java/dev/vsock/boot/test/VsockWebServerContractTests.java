package dev.vsock.boot.test;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.vsock.boot.web.LocalVsockPort;
import dev.vsock.boot.web.VsockListeners;

/**
 * What every vsock web server must do, run against a test application that listens on TCP and
 * on a vsock port the kernel picks ({@code server.vsock.port=0}) and offers {@code GET /peer},
 * {@code POST /upload}, {@code GET /events} and a WebSocket echo at {@code /echo}: a subclass per
 * server adds what is its own.
 */
public abstract class VsockWebServerContractTests {

	@LocalVsockPort
	protected long vsockPort;

	@LocalServerPort
	protected int tcpPort;

	@Autowired
	protected VsockListeners listeners;

	/**
	 * Returns the kind of server under test, as its listener reports it.
	 * @return the server kind
	 */
	protected abstract String serverKind();

	@Test
	@Tag("smoke")
	void servesOverVsockAndTheControllerSeesThePeersCid() throws Exception {
		VsockServerChecks.servesThePeersCid(this.vsockPort);
	}

	@Test
	void thePortTheKernelPickedIsPublishedAndTheListenerIsRegistered() {
		VsockServerChecks.listenerIsRegistered(this.listeners, this.vsockPort, serverKind());
	}

	@Test
	void keepsTheConnectionAliveBetweenRequests() throws Exception {
		VsockServerChecks.keepsTheConnectionAlive(this.vsockPort, this.listeners);
	}

	@Test
	void receives32MebibytesUnchanged() throws Exception {
		VsockServerChecks.receives32MebibytesUnchanged(this.vsockPort);
	}

	@Test
	void streamsServerSentEvents() throws Exception {
		VsockServerChecks.streamsServerSentEvents(this.vsockPort);
	}

	@Test
	void echoesOverAWebSocket() throws Exception {
		VsockServerChecks.echoesOverAWebSocket(this.vsockPort, "/echo", "echo:");
	}

	@Test
	void servesTheSameApplicationOverTcp() throws Exception {
		VsockServerChecks.servesTheSameApplicationOverTcp(this.tcpPort);
	}

}
