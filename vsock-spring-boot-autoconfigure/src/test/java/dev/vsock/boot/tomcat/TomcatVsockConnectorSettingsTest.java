package dev.vsock.boot.tomcat;

import java.util.Arrays;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Boot's {@code server.tomcat.*}, compression and virtual-thread settings reach the vsock
 * connector, read back from its protocol handler in a started application. Runs on the build
 * machine: the listeners bind, nothing connects.
 */
class TomcatVsockConnectorSettingsTest {

	@Test
	void serverTomcatSettingsApplyToTheVsockConnector() {
		try (ConfigurableApplicationContext context = start("server.tomcat.threads.max=7",
				"server.tomcat.threads.min-spare=3", "server.tomcat.max-connections=77", "server.tomcat.accept-count=33",
				"server.tomcat.connection-timeout=5s", "server.tomcat.keep-alive-timeout=6s",
				"server.tomcat.max-keep-alive-requests=8", "server.tomcat.max-http-form-post-size=1MB",
				"server.tomcat.max-swallow-size=3MB", "server.compression.enabled=true",
				"server.max-http-request-header-size=12KB")) {
			AbstractHttp11Protocol<?> vsock = vsockProtocol(context);
			assertThat(vsock.getMaxThreads()).isEqualTo(7);
			assertThat(vsock.getMinSpareThreads()).isEqualTo(3);
			assertThat(vsock.getMaxConnections()).isEqualTo(77);
			assertThat(vsock.getAcceptCount()).isEqualTo(33);
			assertThat(vsock.getConnectionTimeout()).isEqualTo(5000);
			assertThat(vsock.getKeepAliveTimeout()).isEqualTo(6000);
			assertThat(vsock.getMaxKeepAliveRequests()).isEqualTo(8);
			assertThat(vsock.getMaxSwallowSize()).isEqualTo(3 * 1024 * 1024);
			assertThat(vsock.getCompression()).isEqualTo("on");
			assertThat(vsock.getMaxHttpRequestHeaderSize()).isEqualTo(12 * 1024);
			Connector connector = vsockConnector(context);
			assertThat(connector.getMaxPostSize()).isEqualTo(1024 * 1024);
		}
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21")
	void virtualThreadsServeTheVsockConnectorToo() {
		try (ConfigurableApplicationContext context = start("spring.threads.virtual.enabled=true")) {
			assertThat(vsockProtocol(context).getExecutor().getClass().getName()).contains("VirtualThread");
		}
	}

	private static ConfigurableApplicationContext start(String... properties) {
		return new SpringApplicationBuilder(TomcatVsockApplication.class).web(WebApplicationType.SERVLET)
			.properties("server.port=0", "server.vsock.port=0")
			.properties(properties)
			.run();
	}

	private static Connector vsockConnector(ConfigurableApplicationContext context) {
		TomcatWebServer server = (TomcatWebServer) ((WebServerApplicationContext) context).getWebServer();
		return Arrays.stream(server.getTomcat().getService().findConnectors())
			.filter((connector) -> connector.getProtocolHandler() instanceof Http11VsockProtocol)
			.findFirst()
			.orElseThrow();
	}

	private static AbstractHttp11Protocol<?> vsockProtocol(ConfigurableApplicationContext context) {
		return (AbstractHttp11Protocol<?>) vsockConnector(context).getProtocolHandler();
	}

}
