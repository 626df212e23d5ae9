package dev.vsock.boot.tomcat;

import java.util.concurrent.TimeUnit;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.vsock.boot.testsupport.RequiresVsockLoopback;
import dev.vsock.boot.testsupport.VsockHttpClient;
import dev.vsock.boot.web.LocalVsockPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Actuator on a separate management server with a vsock listener of its own: a host probes
 * health over vsock on the management port, the application serves on its own.
 */
@RequiresVsockLoopback
@SpringBootTest(classes = TomcatVsockApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.vsock.port=0", "management.server.port=0", "management.server.vsock.port=0",
				"management.endpoints.web.exposure.include=health",
				"management.endpoint.health.show-details=always" })
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TomcatVsockManagementServerIT {

	@LocalVsockPort
	long vsockPort;

	@Value("${local.management.vsock.port}")
	long managementVsockPort;

	@Test
	void healthIsServedOnTheManagementVsockPortAndTheApplicationOnItsOwn() throws Exception {
		try (VsockHttpClient management = VsockHttpClient.connectLocal(this.managementVsockPort)) {
			FullHttpResponse health = management.get("/actuator/health/vsock");
			assertThat(health.status()).isEqualTo(HttpResponseStatus.OK);
			assertThat(VsockHttpClient.text(health)).contains("\"status\":\"UP\"")
				.contains("\"server\":\"server\",\"kind\":\"tomcat\",\"cid\":\"any\",\"port\":" + this.vsockPort)
				.contains("\"server\":\"management\",\"kind\":\"tomcat\",\"cid\":\"any\",\"port\":"
						+ this.managementVsockPort);
		}
		try (VsockHttpClient application = VsockHttpClient.connectLocal(this.vsockPort)) {
			assertThat(VsockHttpClient.text(application.get("/peer"))).startsWith("cid=1 ");
			assertThat(application.get("/actuator/health").status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
		}
	}

}
