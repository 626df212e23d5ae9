package dev.vsock.boot.tomcat;

import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.vsock.boot.testsupport.RequiresVsockLoopback;
import dev.vsock.boot.testsupport.TestTls;
import dev.vsock.boot.testsupport.VsockHttpClient;
import dev.vsock.boot.testsupport.VsockRawClient;
import dev.vsock.boot.testsupport.VsockServerChecks;
import dev.vsock.boot.web.LocalVsockPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code server.ssl} on the Tomcat vsock connector: HTTPS over vsock, terminated by Tomcat with an
 * {@code SSLEngine} per connection, as an enclave service that terminates TLS inside the enclave
 * does.
 */
@RequiresVsockLoopback
@SpringBootTest(classes = TomcatVsockApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.port=-1", "server.vsock.port=0", "server.ssl.certificate=classpath:tls/server.crt",
				"server.ssl.certificate-private-key=classpath:tls/server.key" })
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TomcatVsockTlsIT {

	@LocalVsockPort
	long vsockPort;

	@Test
	@Tag("smoke")
	void servesHttpsOverVsockAndTheServletKnowsItIsSecure() throws Exception {
		try (VsockHttpClient client = VsockHttpClient.connectLocal(this.vsockPort, TestTls.client())) {
			FullHttpResponse response = client.get("/peer");
			assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
			assertThat(VsockHttpClient.text(response))
				.isEqualTo("cid=1 port=" + client.localAddress().port() + " local=" + this.vsockPort);
			assertThat(VsockHttpClient.text(client.get("/scheme"))).isEqualTo("https secure=true cipher=true");
		}
	}

	@Test
	void carriesLargeBodiesBothWaysAndStreamsOverTls() throws Exception {
		byte[] body = VsockServerChecks.pattern(16 * 1024 * 1024);
		try (VsockHttpClient client = VsockHttpClient.connectLocal(this.vsockPort, TestTls.client())) {
			assertThat(VsockHttpClient.text(client.post("/upload", "application/octet-stream", body)))
				.isEqualTo(body.length + " " + VsockServerChecks.crc(body));
			byte[] received = ByteBufUtil.getBytes(client.get("/download?size=" + body.length).content());
			assertThat(received).hasSize(body.length);
			assertThat(VsockServerChecks.crc(received)).isEqualTo(VsockServerChecks.crc(body));
			assertThat(VsockHttpClient.text(client.get("/events"))).isEqualTo("data:one\n\ndata:two\n\ndata:three\n\n");
		}
	}

	@Test
	void answersPlainHttpOnTheTlsListenerAsTomcatDoesAndCloses() throws Exception {
		// Tomcat's own connector tells a plain-text client to use TLS, and serves it nothing.
		String answer = VsockRawClient.exchange(this.vsockPort, "GET /peer HTTP/1.1\r\nHost: vsock\r\n\r\n");
		assertThat(answer).startsWith("HTTP/1.1 400 ")
			.contains("This combination of host and port requires TLS.")
			.doesNotContain("cid=1");
	}

}
