package dev.vsock.boot.tomcat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;

import dev.vsock.boot.testsupport.RequiresVsockLoopback;
import dev.vsock.boot.testsupport.VsockHttpClient;
import dev.vsock.boot.web.LocalVsockPort;
import dev.vsock.boot.web.VsockListeners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The management server's vsock listener admits peers by the application's rules: with
 * {@code server.vsock.allow-local=false} a loopback peer is refused on the management port too,
 * before a byte is read (it was answered with 200 there once), and health, read over the
 * management server's TCP port, says what each listener admits.
 */
@RequiresVsockLoopback
@SpringBootTest(classes = TomcatVsockApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.vsock.port=0", "server.vsock.allow-local=false", "management.server.port=0",
				"management.server.vsock.port=0", "management.endpoints.web.exposure.include=health",
				"management.endpoint.health.show-details=always" })
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TomcatVsockManagementAdmissionIT {

	@LocalVsockPort
	long vsockPort;

	@Value("${local.management.vsock.port}")
	long managementVsockPort;

	@LocalManagementPort
	int managementTcpPort;

	@Autowired
	VsockListeners listeners;

	@Test
	void theManagementListenerRefusesALoopbackPeerAsTheApplicationsDoes() throws Exception {
		for (long port : List.of(this.vsockPort, this.managementVsockPort)) {
			try (VsockHttpClient client = VsockHttpClient.connectLocal(port)) {
				// Refused: the request's write fails, or the connection closes before a response.
				assertThatException().as("a loopback peer on port %d", port)
					.isThrownBy(() -> client.get("/actuator/health"));
			}
		}
		assertThat(this.listeners.all()).hasSize(2).allSatisfy((listener) -> {
			assertThat(listener.counters().notAllowedCount()).as(listener.serverName()).isEqualTo(1);
			assertThat(listener.counters().acceptedCount()).as(listener.serverName()).isZero();
		});
		HttpResponse<String> health = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.managementTcpPort + "/actuator/health/vsock"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body())
			.contains("\"server\":\"server\",\"kind\":\"tomcat\",\"cid\":\"any\",\"port\":" + this.vsockPort
					+ ",\"state\":\"listening\",\"allowedCids\":\"any but not local (1)\"")
			.contains("\"server\":\"management\",\"kind\":\"tomcat\",\"cid\":\"any\",\"port\":" + this.managementVsockPort
					+ ",\"state\":\"listening\",\"allowedCids\":\"any but not local (1)\"");
	}

}
