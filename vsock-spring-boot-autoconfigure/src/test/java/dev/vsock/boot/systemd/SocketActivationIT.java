package dev.vsock.boot.systemd;

import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.vsock.boot.reactor.ReactorVsockApplication;
import dev.vsock.boot.testsupport.PassedVsockSocket;
import dev.vsock.boot.testsupport.RequiresVsockLoopback;
import dev.vsock.boot.testsupport.VsockHttpClient;
import dev.vsock.boot.tomcat.TomcatVsockApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Socket activation inside the test guest: the test plays systemd ({@link PassedVsockSocket}),
 * each server serves on the socket it was passed, and a client over vsock loopback is answered
 * there, on vsock only.
 */
@RequiresVsockLoopback
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SocketActivationIT {

	private static final String ONLY_NETTY = "spring.autoconfigure.exclude="
			+ "org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatReactiveManagementContextAutoConfiguration";

	static Stream<Arguments> applications() {
		return Stream.of(Arguments.of(TomcatVsockApplication.class, WebApplicationType.SERVLET),
				Arguments.of(ReactorVsockApplication.class, WebApplicationType.REACTIVE));
	}

	@ParameterizedTest
	@MethodSource("applications")
	void aClientIsAnsweredOnThePassedSocket(Class<?> application, WebApplicationType type) throws Exception {
		try (PassedVsockSocket passed = PassedVsockSocket.listen();
				ConfigurableApplicationContext context = new SpringApplicationBuilder(application).web(type)
					.properties(passed.environment("http"))
					.properties("server.port=-1", "server.vsock.port=" + passed.port(), ONLY_NETTY)
					.run()) {
			passed.served();
			try (VsockHttpClient client = VsockHttpClient.connectLocal(passed.port())) {
				assertThat(VsockHttpClient.text(client.get("/peer")))
					.as("answered by the application, over the socket it was passed")
					.startsWith("cid=1 port=")
					.endsWith(" local=" + passed.port());
			}
		}
	}

}
