package dev.vsock.boot.testsupport;

import java.time.Duration;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.vsock.boot.web.LocalVsockPort;
import dev.vsock.boot.web.VsockListeners;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every vsock web server must do, run against a test application that listens on TCP and
 * on a vsock port the kernel picks ({@code server.vsock.port=0}), exposes the health endpoint
 * with details, and offers {@code GET /peer}, {@code POST /upload}, {@code GET /events} and a
 * WebSocket echo at {@code /echo}: a subclass per server adds what is its own.
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
	void theProjectsClientsPostAndGetOnOnePooledConnection() {
		VsockServerChecks.theProjectsClientsPostAndGetOnOnePooledConnection(this.vsockPort);
	}

	@Test
	void streamsServerSentEvents() throws Exception {
		VsockServerChecks.streamsServerSentEvents(this.vsockPort);
	}

	@Test
	void echoesOverAWebSocket() throws Exception {
		VsockServerChecks.echoesOverAWebSocket(this.vsockPort, "/echo", "echo:");
	}

	/**
	 * The test application exposes {@code health} with details: the component shows the guest's
	 * transports (loopback and vhost, a virtio module without a device), its CID and this listener.
	 * @throws Exception if the exchange failed
	 */
	@Test
	void healthOverVsockShowsTheGuestsTransportsAndThisListener() throws Exception {
		try (VsockHttpClient client = VsockHttpClient.connectLocal(this.vsockPort)) {
			FullHttpResponse response = client.get("/actuator/health/vsock");
			assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
			assertThat(VsockHttpClient.text(response)).contains("\"status\":\"UP\"")
				.contains("\"h2g\":{\"available\":true,\"driver\":\"vhost\"}")
				.contains("\"loopback\":{\"available\":true,\"driver\":\"loopback\"}")
				.contains("\"g2h\":{\"available\":false,\"driver\":\"virtio\"")
				.contains("\"localCid\":2")
				.contains("\"kind\":\"" + serverKind() + "\"")
				.contains("\"port\":" + this.vsockPort + ",\"state\":\"listening\"");
		}
	}

	/**
	 * What {@code echo -e 'GET /slow HTTP/1.0\r\n\r\n' | socat - VSOCK-CONNECT:1:PORT} does: the
	 * request, then the end of the client's output, then a wait for the answer, which takes 3 s.
	 * @throws Exception if the exchange failed
	 */
	@Test
	void answersAClientThatHalfClosedAfterItsRequest() throws Exception {
		try (VsockRawClient socat = VsockRawClient.open(this.vsockPort)) {
			socat.send("GET /slow HTTP/1.0\r\nHost: vsock\r\n\r\n");
			socat.halfClose();
			assertThat(socat.awaitClosed(Duration.ofMinutes(2))).isTrue();
			assertThat(socat.received()).matches("(?s)HTTP/1\\.[01] 200 .*\r\n\r\nslow done");
		}
	}

	@Test
	void servesTheSameApplicationOverTcp() throws Exception {
		VsockServerChecks.servesTheSameApplicationOverTcp(this.tcpPort);
	}

}
