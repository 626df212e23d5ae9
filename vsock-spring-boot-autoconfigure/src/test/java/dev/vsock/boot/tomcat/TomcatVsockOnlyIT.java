package dev.vsock.boot.tomcat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.vsock.boot.testsupport.RequiresVsockLoopback;
import dev.vsock.boot.testsupport.VsockHttpClient;
import dev.vsock.boot.testsupport.VsockRawClient;
import dev.vsock.boot.testsupport.VsockServerChecks;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring MVC application on Tomcat that listens on vsock only ({@code server.port=-1}): it
 * serves HTTP/1.1 and upgrades to h2c, serves 200 idle keep-alive connections and one more with
 * four threads, cuts a stalled request after the connection timeout, a second application on the
 * same port fails clearly, and a graceful shutdown lets an in-flight request finish.
 */
@RequiresVsockLoopback
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TomcatVsockOnlyIT {

	@Test
	void servesOnVsockOnlyRefusesASecondApplicationAndDrainsOnShutdown() throws Exception {
		ConfigurableApplicationContext context = start("server.vsock.port=0", "server.shutdown=graceful",
				"spring.lifecycle.timeout-per-shutdown-phase=1m", "server.http2.enabled=true",
				"server.tomcat.threads.max=4", "server.tomcat.connection-timeout=3s",
				"server.tomcat.keep-alive-timeout=10m");
		long port = VsockServerChecks.servesOnVsockOnlyAndUpgradesToH2c(context);

		// Four threads and 200 idle keep-alive connections: readiness comes from epoll, not from a
		// thread per connection, so a new request is still served.
		List<VsockHttpClient> idle = new ArrayList<>();
		try {
			for (int i = 0; i < 200; i++) {
				VsockHttpClient client = VsockHttpClient.connectLocal(port);
				idle.add(client);
				assertThat(VsockHttpClient.text(client.get("/peer"))).startsWith("cid=1 ");
			}
			try (VsockHttpClient fresh = VsockHttpClient.connectLocal(port)) {
				assertThat(VsockHttpClient.text(fresh.get("/peer"))).startsWith("cid=1 ");
			}
			assertThat(idle).allMatch(VsockHttpClient::isOpen);
		}
		finally {
			for (VsockHttpClient client : idle) {
				client.close();
			}
		}

		// Half a request, then nothing: server.tomcat.connection-timeout cuts it.
		String cut = VsockRawClient.exchange(port, "GET /peer HTTP/1.1\r\nHost: vs");
		assertThat(cut).doesNotContain("cid=1");

		VsockServerChecks.refusesASecondApplicationOnThePort(() -> start("server.vsock.port=" + port), port);

		TomcatVsockApplication.slowStarted = new CountDownLatch(1);
		VsockServerChecks.drainsAnInFlightRequestOnShutdown(context, port, TomcatVsockApplication.slowStarted);
	}

	private static ConfigurableApplicationContext start(String... properties) {
		return new SpringApplicationBuilder(TomcatVsockApplication.class).web(WebApplicationType.SERVLET)
			.properties("server.port=-1")
			.properties(properties)
			.run();
	}

}
