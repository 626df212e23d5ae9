package dev.vsock.boot.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vsock.boot.transport.VsockTransports;
import dev.vsock.boot.web.FakeVsockListener;
import dev.vsock.boot.web.VsockConnectionCounters;
import dev.vsock.boot.web.VsockListeners;

import static org.assertj.core.api.Assertions.assertThat;

class VsockMetricsTest {

	@TempDir
	Path root;

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	@Test
	void transportGaugesSayWhatTheKernelOffers() throws IOException {
		Files.createDirectories(this.root.resolve("sys/module/vsock"));
		Files.createDirectories(this.root.resolve("sys/module/vsock_loopback"));
		VsockTransports transports = VsockTransports.detect(this.root, OptionalLong.empty());
		new VsockMetrics(() -> transports, new VsockListeners()).bindTo(this.registry);
		assertThat(this.registry.get("vsock.transport.available").tag("transport", "loopback").gauge().value())
			.isEqualTo(1);
		assertThat(this.registry.get("vsock.transport.available").tag("transport", "g2h").gauge().value())
			.isEqualTo(0);
		assertThat(this.registry.get("vsock.transport.available").tag("transport", "h2g").gauge().value())
			.isEqualTo(0);
		assertThat(this.registry.get("vsock.transport.available").gauge().getId().getDescription()).isNotBlank();
	}

	@Test
	void eachListenerHasItsConnectionAndByteMeters() {
		VsockListeners listeners = new VsockListeners();
		FakeVsockListener listener = FakeVsockListener.reactorOn5000(true, 3);
		listeners.add(listener);
		VsockConnectionCounters counters = listener.counters();
		counters.accepted();
		counters.accepted();
		counters.notAllowed();
		counters.received(100);
		counters.sent(250);
		counters.sent(50);
		VsockTransports none = VsockTransports.detect(this.root, OptionalLong.empty());
		new VsockMetrics(() -> none, listeners).bindTo(this.registry);

		assertThat(this.registry.get("vsock.connections.active").tags("server", "reactor-netty", "port", "5000")
			.gauge()
			.value()).isEqualTo(3);
		assertThat(this.registry.get("vsock.connections.accepted").functionCounter().count()).isEqualTo(2);
		assertThat(this.registry.get("vsock.connections.rejected").tag("reason", "not-allowed")
			.functionCounter()
			.count()).isEqualTo(1);
		assertThat(this.registry.get("vsock.bytes.received").functionCounter().count()).isEqualTo(100);
		assertThat(this.registry.get("vsock.bytes.sent").functionCounter().count()).isEqualTo(300);
		for (Meter meter : this.registry.getMeters()) {
			assertThat(meter.getId().getDescription()).as(meter.getId().getName()).isNotBlank();
		}
		assertThat(this.registry.get("vsock.bytes.sent").meter().getId().getBaseUnit()).isEqualTo("bytes");
		assertThat(this.registry.get("vsock.connections.accepted").meter().getId().getBaseUnit())
			.isEqualTo("connections");
		counters.sent(1);
		assertThat(this.registry.get("vsock.bytes.sent").functionCounter().count()).as("read live").isEqualTo(301);
	}

}
