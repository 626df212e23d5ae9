package dev.vsock.boot.web;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.health.VsockHealthIndicator;
import dev.vsock.boot.reactor.ReactorVsockApplication;
import dev.vsock.boot.tomcat.TomcatVsockApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A separate management server ({@code management.server.port}) with a vsock listener of its own
 * ({@code management.server.vsock.port}), beside the application's, on both servers. Runs on the
 * build machine: the listeners bind and listen, nothing connects.
 */
class VsockManagementServerTest {

	// The test class path has Tomcat and Reactor Netty: an application has one of them, so the
	// reactive run leaves Tomcat's reactive management server out, as its class path would.
	private static final long MIB = 1024 * 1024;

	private static final String ONLY_NETTY = "spring.autoconfigure.exclude="
			+ "org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatReactiveManagementContextAutoConfiguration";

	static Stream<Arguments> applications() {
		return Stream.of(Arguments.of(TomcatVsockApplication.class, WebApplicationType.SERVLET, "tomcat"),
				Arguments.of(ReactorVsockApplication.class, WebApplicationType.REACTIVE, "reactor-netty"));
	}

	private static SpringApplicationBuilder application(Class<?> application, WebApplicationType type) {
		SpringApplicationBuilder builder = new SpringApplicationBuilder(application).web(type);
		return (type == WebApplicationType.REACTIVE) ? builder.properties(ONLY_NETTY) : builder;
	}

	@ParameterizedTest
	@MethodSource("applications")
	void theManagementServerListensOnAVsockPortOfItsOwn(Class<?> application, WebApplicationType type,
			String kind) {
		try (ConfigurableApplicationContext context = application(application, type)
			.properties("server.port=0", "server.vsock.port=0", "management.server.port=0",
					"management.server.vsock.port=0", "management.endpoints.web.exposure.include=health")
			.run()) {
			Environment environment = context.getEnvironment();
			long server = environment.getRequiredProperty("local.vsock.port", Long.class);
			long management = environment.getRequiredProperty("local.management.vsock.port", Long.class);
			assertThat(management).isNotEqualTo(server);
			assertThat(context.getBean(VsockListeners.class).all()).hasSize(2).allSatisfy((listener) -> {
				assertThat(listener.serverKind()).isEqualTo(kind);
				assertThat(listener.isListening()).isTrue();
			}).extracting(VsockListener::serverName).containsExactlyInAnyOrder("server", "management");
		}
	}

	@ParameterizedTest
	@MethodSource("applications")
	void aManagementVsockPortAloneStillLeavesTheApplicationOnTcpOnly(Class<?> application, WebApplicationType type,
			String kind) {
		try (ConfigurableApplicationContext context = application(application, type)
			.properties("server.port=0", "management.server.port=0", "management.server.vsock.port=0")
			.run()) {
			assertThat(context.getBean(VsockListeners.class).all()).singleElement()
				.satisfies((listener) -> assertThat(listener.serverName()).isEqualTo("management"));
			assertThat(context.getEnvironment().getProperty("local.vsock.port")).isNull();
		}
	}

	@ParameterizedTest
	@MethodSource("applications")
	@SuppressWarnings("unchecked")
	void theManagementListenerAdmitsPeersAndBuffersByTheApplicationsRulesUnlessItHasItsOwn(Class<?> application,
			WebApplicationType type, String kind) {
		String[] server = { "server.port=0", "server.vsock.port=0", "server.vsock.allowed-cids=host,7",
				"server.vsock.allow-local=false", "server.vsock.max-connections=5", "server.vsock.buffer-size=1MB",
				"management.server.port=0", "management.server.vsock.port=0" };
		try (ConfigurableApplicationContext context = application(application, type).properties(server).run()) {
			assertThat(context.getBean(VsockListeners.class).all()).hasSize(2).allSatisfy((listener) -> {
				assertThat(listener.admission().allowedCids()).hasToString("2,7 but not local (1)");
				assertThat(listener.admission().maxConnections()).isEqualTo(5);
				assertThat(listener.bufferSize()).as("read back from the listening socket").isEqualTo(MIB);
			});
			Map<String, Object> health = context.getBean(VsockHealthIndicator.class).health(true).getDetails();
			assertThat((List<Map<String, Object>>) health.get("listeners")).hasSize(2)
				.allSatisfy((listener) -> assertThat(listener).containsEntry("bufferSize", MIB));
		}
		try (ConfigurableApplicationContext context = application(application, type).properties(server)
			.properties("management.server.vsock.allowed-cids=3", "management.server.vsock.allow-local=true",
					"management.server.vsock.max-connections=0", "management.server.vsock.buffer-size=64KB")
			.run()) {
			assertThat(listener(context, "server").admission().allowedCids()).hasToString("2,7 but not local (1)");
			assertThat(listener(context, "management").admission().allowedCids()).hasToString("3");
			assertThat(listener(context, "management").admission().maxConnections()).isZero();
			assertThat(listener(context, "server").bufferSize()).isEqualTo(MIB);
			assertThat(listener(context, "management").bufferSize()).isEqualTo(64 * 1024L);
		}
	}

	@ParameterizedTest
	@MethodSource("applications")
	void theManagementListenerIsHybridVsocksHostSideWhenTheApplicationsIs(Class<?> application,
			WebApplicationType type, String kind, @TempDir Path directory) {
		Path uds = directory.resolve("v.sock");
		try (ConfigurableApplicationContext context = application(application, type)
			.properties("server.port=0", "server.vsock.port=5052", "server.vsock.hybrid.uds-path=" + uds,
					"server.vsock.buffer-size=1MB", "management.server.port=0", "management.server.vsock.port=5053")
			.run()) {
			assertThat(listener(context, "management").address()).isEqualTo(VsockAddress.of(VsockAddress.CID_HOST, 5053));
			assertThat(context.getBean(VsockListeners.class).all())
				.as("a Unix socket has no vsock buffer: the VMM owns the guest's")
				.allSatisfy((listener) -> assertThat(listener.bufferSize()).isNull());
			assertThat(uds.resolveSibling("v.sock_5052")).exists();
			assertThat(uds.resolveSibling("v.sock_5053")).as("the management listener's Unix socket").exists();
		}
	}

	private static VsockListener listener(ConfigurableApplicationContext context, String serverName) {
		return context.getBean(VsockListeners.class)
			.all()
			.stream()
			.filter((listener) -> listener.serverName().equals(serverName))
			.findFirst()
			.orElseThrow();
	}

}
