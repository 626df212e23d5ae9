package dev.vsock.boot.reactor;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.vsock.boot.testsupport.RequiresVsockLoopback;
import dev.vsock.boot.web.LocalVsockPort;

/**
 * An SSL bundle ({@code server.ssl.bundle}) applies to the vsock listener as {@code server.ssl.*}
 * does.
 */
@RequiresVsockLoopback
@SpringBootTest(classes = ReactorVsockApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "server.port=-1", "server.vsock.port=0",
				"spring.ssl.bundle.pem.vsock.keystore.certificate=classpath:tls/server.crt",
				"spring.ssl.bundle.pem.vsock.keystore.private-key=classpath:tls/server.key",
				"server.ssl.bundle=vsock" })
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ReactorVsockSslBundleIT {

	@LocalVsockPort
	long vsockPort;

	@Test
	void servesHttpsOverVsockWithTheBundle() throws Exception {
		ReactorVsockTlsIT.assertServesHttps(this.vsockPort);
	}

}
