package dev.vsock.boot.sample.mvc;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import dev.vsock.boot.client.VsockClients;
import dev.vsock.boot.test.junit.EnabledIfVsockTransport;
import dev.vsock.boot.transport.VsockTransport;
import dev.vsock.boot.web.LocalVsockPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample file agent, as configured in its application.yml (vsock only, Tomcat) but on a port
 * the kernel picks, called over vsock loopback with the starter's own client. Runs in the test
 * guest, like every *IT of the project.
 */
@EnabledIfVsockTransport(VsockTransport.LOOPBACK)
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT, properties = { "server.vsock.port=0", "management.server.port=0", "management.server.vsock.port=0" })
class FileAgentApplicationIT {

	@LocalVsockPort
	long port;

	@Value("${local.management.vsock.port}")
	long managementPort;

	@Test
	void storesAFileAndGivesItBackAndRecordsTheSendersCid() throws Exception {
		byte[] file = new byte[5 * 1024 * 1024];
		for (int i = 0; i < file.length; i++) {
			file[i] = (byte) (i % 251);
		}
		String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file));
		RestClient agent = VsockClients.restClient();
		String base = "vsock://local:" + this.port;
		Map<String, Object> stored = agent.put()
			.uri(base + "/files/image.bin")
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.body(file)
			.retrieve()
			.body(new ParameterizedTypeReference<Map<String, Object>>() {
			});
		assertThat(stored).containsEntry("size", file.length).containsEntry("sha256", sha256);
		byte[] back = agent.get().uri(base + "/files/image.bin").retrieve().body(byte[].class);
		assertThat(back).isEqualTo(file);
		String status = agent.get().uri(base + "/status").retrieve().body(String.class);
		assertThat(status).contains("\"image.bin\":1").contains("\"callerCid\":1");
		String health = agent.get()
			.uri("vsock://local:" + this.managementPort + "/actuator/health/vsock")
			.retrieve()
			.body(String.class);
		assertThat(health).contains("\"status\":\"UP\"")
			.contains("\"kind\":\"tomcat\"")
			.contains("\"allowedCids\":\"1,2\"");
		Integer onTheApplicationsPort = agent.get()
			.uri(base + "/actuator/health")
			.exchange((request, response) -> response.getStatusCode().value());
		assertThat(onTheApplicationsPort).as("no actuator on the application's port").isEqualTo(404);
	}

}
