package dev.vsock.boot.reactor;

import java.util.concurrent.TimeUnit;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.vsock.boot.testsupport.RequiresVsockLoopback;
import dev.vsock.boot.testsupport.TestTls;
import dev.vsock.boot.testsupport.VsockHttpClient;
import dev.vsock.boot.web.LocalVsockPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@code server.ssl} applies to the vsock listener: a vsock-only WebFlux application serves
 * HTTPS, as an enclave service that terminates TLS inside the enclave does.
 */
@RequiresVsockLoopback
@SpringBootTest(classes = ReactorVsockApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "server.port=-1", "server.vsock.port=0", "server.ssl.certificate=classpath:tls/server.crt",
				"server.ssl.certificate-private-key=classpath:tls/server.key" })
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ReactorVsockTlsIT {

	@LocalVsockPort
	long vsockPort;

	@Test
	void servesHttpsOverVsock() throws Exception {
		assertServesHttps(this.vsockPort);
	}

	/**
	 * Calls {@code /peer} over TLS and checks the answer.
	 * @param vsockPort the port of the TLS listener
	 * @throws Exception if the exchange failed
	 */
	static void assertServesHttps(long vsockPort) throws Exception {
		try (VsockHttpClient client = VsockHttpClient.connectLocal(vsockPort, TestTls.client())) {
			FullHttpResponse response = client.get("/peer");
			assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
			assertThat(VsockHttpClient.text(response))
				.isEqualTo("cid=1 port=" + client.localAddress().port() + " local=" + vsockPort);
		}
	}

	@Test
	void closesAPlainHttpConnectionOnTheTlsListener() throws Exception {
		try (VsockHttpClient client = VsockHttpClient.connectLocal(this.vsockPort)) {
			assertThatIllegalStateException().isThrownBy(() -> client.get("/peer"))
				.withMessage("The server closed the connection before a response to GET /peer");
		}
	}

}
