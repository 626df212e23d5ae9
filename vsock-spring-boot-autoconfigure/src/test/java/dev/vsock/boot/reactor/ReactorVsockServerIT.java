package dev.vsock.boot.reactor;

import java.util.concurrent.TimeUnit;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.vsock.boot.testsupport.RequiresVsockLoopback;
import dev.vsock.boot.testsupport.VsockHttpClient;
import dev.vsock.boot.testsupport.VsockWebServerContractTests;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WebFlux application on Reactor Netty serving on TCP and on vsock at once, the vsock port
 * picked by the kernel, reached over vsock loopback inside the test guest.
 */
@RequiresVsockLoopback
@SpringBootTest(classes = ReactorVsockApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "server.vsock.port=0", "management.endpoints.web.exposure.include=health",
				"management.endpoint.health.show-details=always" })
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ReactorVsockServerIT extends VsockWebServerContractTests {

	@Override
	protected String serverKind() {
		return "reactor-netty";
	}

	@Test
	void aNettyRouteProviderServesOnVsockToo() throws Exception {
		try (VsockHttpClient client = VsockHttpClient.connectLocal(this.vsockPort)) {
			assertThat(VsockHttpClient.text(client.get("/route-provider"))).isEqualTo("routed");
			assertThat(VsockHttpClient.text(client.get("/peer"))).startsWith("cid=1 ");
		}
	}

}
