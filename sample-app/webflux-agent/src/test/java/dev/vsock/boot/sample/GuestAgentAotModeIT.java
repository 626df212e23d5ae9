package dev.vsock.boot.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.aot.AotDetector;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotationConfigUtils;
import org.springframework.core.ParameterizedTypeReference;

import dev.vsock.boot.client.VsockClients;
import dev.vsock.boot.test.junit.EnabledIfVsockTransport;
import dev.vsock.boot.transport.VsockTransport;

/**
 * The sample guest agent started in Spring AOT mode, from the application context its build
 * prepared ({@code spring-boot:process-aot}, in the jar), as a native image or a JVM with
 * {@code -Dspring.aot.enabled=true} starts it, and called over vsock loopback. Runs in the test
 * guest, like every *IT of the project.
 */
@EnabledIfVsockTransport(VsockTransport.LOOPBACK)
class GuestAgentAotModeIT {

	@Test
	void startsFromItsAotPreparedContextAndAnswersOverVsock() {
		// The AOT initializer is found by the main class's name: here, as with java -jar, the agent's.
		SpringApplication application = new SpringApplication(GuestAgentApplication.class);
		application.setMainApplicationClass(GuestAgentApplication.class);
		System.setProperty(AotDetector.AOT_ENABLED, "true");
		try (ConfigurableApplicationContext context = application.run("--server.vsock.port=0",
				"--management.server.port=0", "--management.server.vsock.port=0")) {
			assertThat(AotDetector.useGeneratedArtifacts()).isTrue();
			assertThat(context.containsBean(AnnotationConfigUtils.CONFIGURATION_ANNOTATION_PROCESSOR_BEAN_NAME))
				.as("configuration classes parsed at run time, which AOT mode does at build time")
				.isFalse();
			long port = context.getEnvironment().getRequiredProperty("local.vsock.port", Long.class);
			Map<String, Object> status = VsockClients.restClient(1, port)
				.get()
				.uri("/status")
				.retrieve()
				.body(new ParameterizedTypeReference<Map<String, Object>>() {
				});
			assertThat(status).containsEntry("agent", "up").containsEntry("callerCid", 1);
		}
		finally {
			System.clearProperty(AotDetector.AOT_ENABLED);
		}
	}

}
