package dev.vsock.boot.systemd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.DomainDatagramSocketAddress;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.vsock.boot.autoconfigure.systemd.VsockSystemdAutoConfiguration;
import dev.vsock.boot.tomcat.TomcatVsockApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Readiness notification to a Unix datagram socket, as systemd receives it, on the build machine:
 * the application's own server listens on vsock (bind and listen only), the notifications go
 * over a Unix socket. Over vsock it is {@code SystemdNotifyIT}, in the test guest.
 */
class SystemdNotifyTest {

	private final List<Socket> receivers = new ArrayList<>();

	@AfterEach
	void closeReceivers() throws IOException {
		for (Socket receiver : this.receivers) {
			receiver.close();
		}
	}

	@Test
	void tellsAUnixSocketReadyWithWhereItListensThenStopping(@TempDir Path directory) throws Exception {
		Path path = directory.resolve("notify");
		Socket receiver = receiver(path.toString());
		List<String> messages = new ArrayList<>();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TomcatVsockApplication.class)
			.web(WebApplicationType.SERVLET)
			.properties("NOTIFY_SOCKET=" + path, "server.port=0", "server.vsock.port=0")
			.run()) {
			long port = context.getEnvironment().getRequiredProperty("local.vsock.port", Long.class);
			messages.add(receive(receiver));
			assertThat(messages.get(0)).isEqualTo("READY=1\nSTATUS=Accepting traffic: server on vsock port " + port + "\n");
		}
		messages.add(receive(receiver));
		messages.add(receive(receiver));
		assertThat(messages.subList(1, 3)).as("the web server's context refuses traffic as it begins to close")
			.containsExactly("STATUS=Refusing traffic\n", "STOPPING=1\nSTATUS=Stopping\n");
	}

	@Test
	void aSeparateManagementServerAddsNoMessageAndTheLastStatusIsStopping(@TempDir Path directory) throws Exception {
		// The management server's own context closes after the application's has said STOPPING=1;
		// its readiness change reaches the application's listeners too.
		Path path = directory.resolve("notify");
		Socket receiver = receiver(path.toString());
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TomcatVsockApplication.class)
			.web(WebApplicationType.SERVLET)
			.properties("NOTIFY_SOCKET=" + path, "server.port=0", "server.vsock.port=0", "management.server.port=0",
					"management.server.address=127.0.0.1")
			.run()) {
			assertThat(receive(receiver)).startsWith("READY=1\n");
		}
		assertThat(receive(receiver)).isEqualTo("STATUS=Refusing traffic\n");
		assertThat(receive(receiver)).isEqualTo("STOPPING=1\nSTATUS=Stopping\n");
		ByteBuffer buffer = ByteBuffer.allocateDirect(512);
		assertThat(receiver.recvFromDomainSocket(buffer, 0, buffer.capacity())).as("nothing after STOPPING=1").isNull();
	}

	@Test
	void tellsASocketInTheAbstractNamespace() throws Exception {
		String name = "vsock-spring-boot-test-" + UUID.randomUUID();
		Socket receiver = receiver("\0" + name);
		try (ConfigurableApplicationContext context = plainApplication("NOTIFY_SOCKET=@" + name).run()) {
			assertThat(receive(receiver)).isEqualTo("READY=1\nSTATUS=Accepting traffic\n");
		}
		assertThat(receive(receiver)).startsWith("STOPPING=1\n");
	}

	@Test
	void aPropertySwitchesItOff(@TempDir Path directory) throws Exception {
		Path path = directory.resolve("notify");
		Socket receiver = receiver(path.toString());
		try (ConfigurableApplicationContext context = plainApplication("NOTIFY_SOCKET=" + path,
				"spring.vsock.systemd.notify.enabled=false")
			.run()) {
			assertThat(context.getBeansOfType(SystemdNotifyListener.class)).isEmpty();
		}
		ByteBuffer buffer = ByteBuffer.allocateDirect(512);
		assertThat(receiver.recvFromDomainSocket(buffer, 0, buffer.capacity())).as("nothing was sent").isNull();
	}

	@Test
	void anInvalidNotifySocketFailsTheStartNamingTheValueAndTheWayOut() {
		assertThatException()
			.isThrownBy(() -> plainApplication("NOTIFY_SOCKET=vsock-seqpacket:2:8888").run().close())
			.withStackTraceContaining("Unsupported NOTIFY_SOCKET 'vsock-seqpacket:2:8888'")
			.withStackTraceContaining("pass vsock-stream:CID:PORT")
			.withStackTraceContaining("or set spring.vsock.systemd.notify.enabled=false");
	}

	@Test
	void aReceiverThatIsNotThereIsLoggedAndTheApplicationRuns(@TempDir Path directory) {
		try (ConfigurableApplicationContext context = plainApplication(
				"NOTIFY_SOCKET=" + directory.resolve("nobody-listens")).run()) {
			assertThat(context.isRunning()).isTrue();
		}
	}

	private static SpringApplicationBuilder plainApplication(String... properties) {
		return new SpringApplicationBuilder(PlainApplication.class).web(WebApplicationType.NONE)
			.properties(properties);
	}

	/** Only what notifies: in the guest, a context with every auto-configuration takes 15 s. */
	@SpringBootConfiguration
	@ImportAutoConfiguration(VsockSystemdAutoConfiguration.class)
	static class PlainApplication {

	}

	private Socket receiver(String path) throws IOException {
		Epoll.ensureAvailability();
		Socket receiver = Socket.newSocketDomainDgram();
		this.receivers.add(receiver);
		receiver.bind(new DomainSocketAddress(path));
		return receiver;
	}

	private static String receive(Socket receiver) {
		ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
		DomainDatagramSocketAddress from = await().atMost(Duration.ofMinutes(1))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> receiver.recvFromDomainSocket(buffer, 0, buffer.capacity()), (sender) -> sender != null);
		byte[] bytes = new byte[from.receivedAmount()];
		buffer.get(0, bytes);
		return new String(bytes, StandardCharsets.UTF_8);
	}

}
