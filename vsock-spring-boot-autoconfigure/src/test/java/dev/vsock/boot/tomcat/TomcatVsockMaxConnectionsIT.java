package dev.vsock.boot.tomcat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.handler.codec.http.FullHttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.tomcat.TomcatWebServer;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.test.RequiresVsockLoopback;
import dev.vsock.boot.test.VsockHttpClient;
import dev.vsock.boot.web.VsockListeners;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code server.tomcat.max-connections} holds on the vsock connector: a client over the limit
 * waits in the kernel's backlog until a connection closes, and is then served; none is lost. A
 * server without an application context (no servlet: Tomcat answers 404, a response all the
 * same).
 */
@RequiresVsockLoopback
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TomcatVsockMaxConnectionsIT {

	private TomcatWebServer server;

	@AfterEach
	void stop() {
		if (this.server != null) {
			this.server.stop();
			this.server.destroy();
		}
	}

	@Test
	void aClientOverTheLimitWaitsAndIsServedWhenAConnectionCloses() throws Exception {
		VsockTomcatServletWebServerFactory factory = new VsockTomcatServletWebServerFactory(
				VsockAddress.of(VsockAddress.CID_ANY, VsockAddress.PORT_ANY), new VsockListeners(null));
		factory.setPort(-1);
		factory.addConnectorCustomizers((connector) -> connector.setProperty("maxConnections", "1"));
		this.server = (TomcatWebServer) factory.getWebServer();
		this.server.start();
		VsockTomcatWebServer listener = (VsockTomcatWebServer) this.server;
		long port = listener.address().port();
		VsockHttpClient first = VsockHttpClient.connectLocal(port);
		VsockHttpClient second = null;
		try {
			assertThat(first.get("/").status().code()).isEqualTo(404);
			second = VsockHttpClient.connectLocal(port);
			VsockHttpClient waiting = second;
			CompletableFuture<FullHttpResponse> answer = CompletableFuture.supplyAsync(() -> {
				try {
					return waiting.get("/");
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			assertThat(listener.openConnections()).as("the second client is not accepted yet").isEqualTo(1);
			assertThat(answer).isNotDone();
			first.close();
			assertThat(answer.get(1, TimeUnit.MINUTES).status().code()).isEqualTo(404);
			assertThat(listener.counters().acceptedCount()).isEqualTo(2);
		}
		finally {
			first.close();
			if (second != null) {
				second.close();
			}
		}
	}

}
