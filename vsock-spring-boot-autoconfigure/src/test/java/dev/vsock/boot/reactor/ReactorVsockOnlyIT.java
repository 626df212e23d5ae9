package dev.vsock.boot.reactor;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.vsock.boot.testsupport.RequiresVsockLoopback;
import dev.vsock.boot.testsupport.VsockServerChecks;


/**
 * A WebFlux application that listens on vsock only ({@code server.port=-1}): it serves HTTP/1.1
 * and upgrades to h2c, a second one on the same port fails clearly, and a graceful shutdown lets
 * an in-flight request finish.
 */
@RequiresVsockLoopback
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ReactorVsockOnlyIT {

	@Test
	void servesOnVsockOnlyRefusesASecondApplicationAndDrainsOnShutdown() throws Exception {
		ConfigurableApplicationContext context = start("server.vsock.port=0", "server.shutdown=graceful",
				"spring.lifecycle.timeout-per-shutdown-phase=1m", "server.http2.enabled=true");
		long port = VsockServerChecks.servesOnVsockOnlyAndUpgradesToH2c(context);

		VsockServerChecks.refusesASecondApplicationOnThePort(() -> start("server.vsock.port=" + port), port);

		ReactorVsockApplication.slowStarted = new CountDownLatch(1);
		VsockServerChecks.drainsAnInFlightRequestOnShutdown(context, port, ReactorVsockApplication.slowStarted);
	}

	private static ConfigurableApplicationContext start(String... properties) {
		return new SpringApplicationBuilder(ReactorVsockApplication.class).web(WebApplicationType.REACTIVE)
			.properties("server.port=-1")
			.properties(properties)
			.run();
	}

}
