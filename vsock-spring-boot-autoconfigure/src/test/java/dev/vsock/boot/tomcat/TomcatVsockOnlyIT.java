package dev.vsock.boot.tomcat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.vsock.boot.VsockBindException;
import dev.vsock.boot.test.RequiresVsockLoopback;
import dev.vsock.boot.test.VsockHttpClient;
import dev.vsock.boot.test.VsockRawClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

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
		long port = context.getEnvironment().getRequiredProperty("local.vsock.port", Long.class);
		assertThat(context.getEnvironment().getProperty("local.server.port")).as("no TCP listener").isEqualTo("-1");
		try (VsockHttpClient client = VsockHttpClient.connectLocal(port)) {
			assertThat(VsockHttpClient.text(client.get("/peer"))).startsWith("cid=1 ");
		}
		try (VsockHttpClient client = VsockHttpClient.connectLocal(port)) {
			FullHttpRequest upgrade = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/peer");
			upgrade.headers()
				.set(HttpHeaderNames.CONNECTION, "Upgrade, HTTP2-Settings")
				.set(HttpHeaderNames.UPGRADE, "h2c")
				.set("HTTP2-Settings", "");
			FullHttpResponse switching = client.exchange(upgrade);
			assertThat(switching.status()).isEqualTo(HttpResponseStatus.SWITCHING_PROTOCOLS);
			assertThat(switching.headers().get(HttpHeaderNames.UPGRADE)).isEqualTo("h2c");
		}

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

		assertThatException().isThrownBy(() -> start("server.vsock.port=" + port))
			.satisfies((ex) -> assertThat(causeOf(ex, VsockBindException.class)).isNotNull()
				.satisfies((bind) -> assertThat(bind.getReason()).isEqualTo(VsockBindException.Reason.IN_USE))
				.satisfies((bind) -> assertThat(bind.getAddress().port()).isEqualTo(port)));

		TomcatVsockApplication.slowStarted = new CountDownLatch(1);
		try (VsockHttpClient client = VsockHttpClient.connectLocal(port)) {
			CompletableFuture<FullHttpResponse> slow = CompletableFuture.supplyAsync(() -> {
				try {
					return client.get("/slow");
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			assertThat(TomcatVsockApplication.slowStarted.await(1, TimeUnit.MINUTES)).isTrue();
			context.close();
			assertThat(VsockHttpClient.text(slow.get(1, TimeUnit.MINUTES))).isEqualTo("slow done");
		}
	}

	private static ConfigurableApplicationContext start(String... properties) {
		return new SpringApplicationBuilder(TomcatVsockApplication.class).web(WebApplicationType.SERVLET)
			.properties("server.port=-1")
			.properties(properties)
			.run();
	}

	private static <T extends Throwable> T causeOf(Throwable ex, Class<T> type) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		return null;
	}

}
