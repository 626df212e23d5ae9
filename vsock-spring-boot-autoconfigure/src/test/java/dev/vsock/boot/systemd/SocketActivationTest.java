package dev.vsock.boot.systemd;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.mock.env.MockEnvironment;

import dev.vsock.boot.health.VsockHealthIndicator;
import dev.vsock.boot.reactor.ReactorVsockApplication;
import dev.vsock.boot.testsupport.PassedVsockSocket;
import dev.vsock.boot.tomcat.TomcatVsockApplication;
import dev.vsock.boot.web.VsockListener;
import dev.vsock.boot.web.VsockListeners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Socket activation on the build machine, where a vsock socket may listen but nothing connects:
 * the test plays the service manager ({@link PassedVsockSocket}). That the servers serve on the
 * passed socket shows in that they start at all: binding its port would fail, the port being
 * taken by it. {@code SocketActivationIT} connects to it in the test guest.
 */
class SocketActivationTest {

	private static final String ONLY_NETTY = "spring.autoconfigure.exclude="
			+ "org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatReactiveManagementContextAutoConfiguration";

	private PassedVsockSocket passed;

	static Stream<Arguments> applications() {
		return Stream.of(Arguments.of(TomcatVsockApplication.class, WebApplicationType.SERVLET),
				Arguments.of(ReactorVsockApplication.class, WebApplicationType.REACTIVE));
	}

	@AfterEach
	void closeThePassedSocket() throws IOException {
		if (this.passed != null) {
			this.passed.close();
		}
	}

	@ParameterizedTest
	@MethodSource("applications")
	@SuppressWarnings("unchecked")
	void theListenerServesOnThePassedSocketBoundToItsPort(Class<?> application, WebApplicationType type) throws Exception {
		long port = pass();
		try (ConfigurableApplicationContext context = application(application, type)
			.properties(activation("http")).properties("server.vsock.port=" + port).run()) {
			this.passed.served();
			VsockListener listener = context.getBean(VsockListeners.class).all().get(0);
			assertThat(listener.isListening()).isTrue();
			assertThat(listener.address().port()).isEqualTo(port);
			assertThat(listener.inheritedFrom()).isEqualTo("fd " + this.passed.fd() + " 'http'");
			assertThat(context.getEnvironment().getProperty("local.vsock.port", Long.class)).isEqualTo(port);
			Map<String, Object> health = context.getBean(VsockHealthIndicator.class).health(true).getDetails();
			assertThat((List<Map<String, Object>>) health.get("listeners")).singleElement()
				.satisfies((details) -> assertThat(details).containsEntry("inherited",
						"fd " + this.passed.fd() + " 'http'").containsEntry("port", port));
		}
	}

	@ParameterizedTest
	@MethodSource("applications")
	void aNamedSocketIsServedOnWhateverItsPortWithPortZero(Class<?> application, WebApplicationType type)
			throws Exception {
		long port = pass();
		try (ConfigurableApplicationContext context = application(application, type)
			.properties(activation("api")).properties("server.vsock.port=0", "server.vsock.fd-name=api",
					"server.vsock.buffer-size=1MB")
			.run()) {
			this.passed.served();
			VsockListener listener = context.getBean(VsockListeners.class).all().get(0);
			assertThat(listener.address().port()).isEqualTo(port);
			assertThat(listener.inheritedFrom()).endsWith("'api'");
			assertThat(listener.bufferSize()).as("set on the inherited socket too").isEqualTo(1024 * 1024L);
		}
	}

	@Test
	void theManagementListenerServesOnTheSocketNamedForIt() throws Exception {
		long port = pass();
		try (ConfigurableApplicationContext context = application(TomcatVsockApplication.class,
				WebApplicationType.SERVLET)
			.properties(activation("management"))
			.properties("server.vsock.port=0", "management.server.port=0", "management.server.vsock.port=0",
					"management.server.vsock.fd-name=management")
			.run()) {
			this.passed.served();
			assertThat(context.getBean(VsockListeners.class).all()).hasSize(2).anySatisfy((listener) -> {
				assertThat(listener.serverName()).isEqualTo("management");
				assertThat(listener.address().port()).isEqualTo(port);
				assertThat(listener.inheritedFrom()).endsWith("'management'");
			}).anySatisfy((listener) -> {
				assertThat(listener.serverName()).isEqualTo("server");
				assertThat(listener.inheritedFrom()).as("bound: nothing was passed for it").isNull();
			});
		}
	}

	@Test
	void aNameThatWasNotPassedFailsTheStartNamingWhatWas() throws Exception {
		pass();
		assertThatException().isThrownBy(() -> application(TomcatVsockApplication.class, WebApplicationType.SERVLET)
			.properties(activation("http"))
			.properties("server.vsock.port=0", "server.vsock.fd-name=grpc")
			.run()
			.close())
			.withStackTraceContaining("No socket named 'grpc' was passed by the service manager (LISTEN_FDNAMES ")
			.withStackTraceContaining(":http)")
			.withStackTraceContaining("set FileDescriptorName=grpc in its .socket unit");
	}

	@Test
	void aNamedDescriptorThatIsNoListeningVsockSocketFailsTheStartSayingWhatItIs() throws Exception {
		pass();
		// fd 3 is one of the JVM's own (a jar or a log file): named, it is what the listener wants.
		String[] names = activation("http");
		names[2] = "LISTEN_FDNAMES=" + names[2].substring("LISTEN_FDNAMES=".length()).replaceFirst("^jvm", "first");
		assertThatException().isThrownBy(() -> application(TomcatVsockApplication.class, WebApplicationType.SERVLET)
			.properties(names)
			.properties("server.vsock.port=0", "server.vsock.fd-name=first")
			.run()
			.close())
			.withStackTraceContaining("The socket named 'first' (fd 3) that the service manager passed is ")
			.withStackTraceContaining("not a listening AF_VSOCK stream socket: give its .socket unit ListenStream=vsock::PORT");
	}

	@Test
	void aNamedSocketOnAnotherPortThanTheConfiguredOneFailsTheStart() throws Exception {
		long port = pass();
		assertThatException().isThrownBy(() -> application(TomcatVsockApplication.class, WebApplicationType.SERVLET)
			.properties(activation("http"))
			.properties("server.vsock.port=" + (port + 1), "server.vsock.fd-name=http")
			.run()
			.close())
			.withStackTraceContaining("listens on vsock port " + port + ", but this listener is configured for port "
					+ (port + 1));
	}

	@Test
	void switchedOffTheListenerBindsAndFindsThePortTaken() throws Exception {
		long port = pass();
		assertThatException().isThrownBy(() -> application(TomcatVsockApplication.class, WebApplicationType.SERVLET)
			.properties(activation("http"))
			.properties("server.vsock.port=" + port, "server.vsock.socket-activation=false")
			.run()
			.close()).withStackTraceContaining("already in use");
	}

	@Test
	void theVariablesOfAnotherProcessAreIgnored() throws Exception {
		pass();
		MockEnvironment environment = new MockEnvironment();
		for (String property : activation("http")) {
			int equals = property.indexOf('=');
			environment.setProperty(property.substring(0, equals), property.substring(equals + 1));
		}
		assertThat(InheritedSockets.from(environment).passed()).hasSize(this.passed.fd() - 2);
		assertThat(InheritedSockets.from(environment, ProcessHandle.current().pid() + 1).passed()).isEmpty();
		assertThat(InheritedSockets.from(environment, false).passed()).isEmpty();
		environment.setProperty("LISTEN_FDS", "three");
		assertThatException().isThrownBy(() -> InheritedSockets.from(environment))
			.withMessageContaining("Invalid LISTEN_PID '" + ProcessHandle.current().pid() + "' or LISTEN_FDS 'three'");
	}

	private long pass() throws IOException {
		this.passed = PassedVsockSocket.listen();
		return this.passed.port();
	}

	private String[] activation(String name) {
		return this.passed.environment(name);
	}

	private static SpringApplicationBuilder application(Class<?> application, WebApplicationType type) {
		SpringApplicationBuilder builder = new SpringApplicationBuilder(application).web(type)
			.properties("server.port=0", "management.endpoints.web.exposure.include=health");
		return (type == WebApplicationType.REACTIVE) ? builder.properties(ONLY_NETTY) : builder;
	}

}
