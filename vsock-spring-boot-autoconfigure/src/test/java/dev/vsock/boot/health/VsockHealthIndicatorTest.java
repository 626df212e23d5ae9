package dev.vsock.boot.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import dev.vsock.boot.transport.VsockTransport;
import dev.vsock.boot.transport.VsockTransports;
import dev.vsock.boot.web.FakeVsockListener;
import dev.vsock.boot.web.VsockListeners;

import static org.assertj.core.api.Assertions.assertThat;

class VsockHealthIndicatorTest {

	@TempDir
	Path root;

	VsockTransports transports;

	final VsockListeners listeners = new VsockListeners();

	@BeforeEach
	void guestOfAKvmHost() throws IOException {
		Files.createDirectories(this.root.resolve("sys/module/vsock"));
		Files.createDirectories(this.root.resolve("sys/module/vmw_vsock_virtio_transport"));
		Files.createDirectories(this.root.resolve("sys/bus/virtio/drivers/vmw_vsock_virtio_transport/virtio3"));
		this.transports = VsockTransports.detect(this.root, OptionalLong.of(3));
	}

	@Test
	void upWithTransportsLocalCidAndAListeningListener() {
		this.listeners.add(FakeVsockListener.reactorOn5000(true, 2));
		Health health = indicator(true, List.of(VsockTransport.G2H)).health(true);
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("afVsock", true).containsEntry("localCid", 3L);
		assertThat((Map<String, Object>) health.getDetails().get("transports")).containsOnlyKeys("g2h", "h2g", "loopback")
			.containsEntry("g2h", Map.of("available", true, "driver", "virtio"))
			.containsEntry("loopback", Map.of("available", false));
		assertThat((List<Map<String, Object>>) health.getDetails().get("listeners")).singleElement()
			.isEqualTo(Map.of("server", "server", "kind", "reactor-netty", "cid", "any", "port", 5000L, "state",
					"listening", "allowedCids", "any", "maxConnections", 0, "openConnections", 2));
	}

	@Test
	void downWhenAListenerStopped() {
		this.listeners.add(FakeVsockListener.reactorOn5000(false, 0));
		Health health = indicator(true, List.of()).health(true);
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat((List<Map<String, Object>>) health.getDetails().get("listeners")).singleElement()
			.satisfies((listener) -> assertThat(listener).containsEntry("state", "stopped"));
	}

	@Test
	void downWhenTheConfiguredListenerIsNotThere() {
		assertThat(indicator(true, List.of()).health(true).getStatus()).isEqualTo(Status.DOWN);
		assertThat(indicator(false, List.of()).health(true).getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void downWhenARequiredTransportIsMissing() {
		Health health = indicator(false, List.of(VsockTransport.G2H, VsockTransport.LOOPBACK)).health(true);
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("missingTransports", List.of("loopback"));
	}

	@Test
	void localCidUnknownIsSaidSo() {
		VsockTransports unknown = VsockTransports.detect(this.root, OptionalLong.empty());
		Health health = new VsockHealthIndicator(() -> unknown, this.listeners, false, List.of()).health(true);
		assertThat(health.getDetails()).containsEntry("localCid", "unknown");
	}

	private VsockHealthIndicator indicator(boolean listenerExpected, List<VsockTransport> required) {
		return new VsockHealthIndicator(() -> this.transports, this.listeners, listenerExpected, required);
	}

}
