package dev.vsock.boot.metrics;

import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.vsock.boot.transport.VsockTransport;
import dev.vsock.boot.transport.VsockTransports;
import dev.vsock.boot.web.VsockConnectionCounters;
import dev.vsock.boot.web.VsockListener;
import dev.vsock.boot.web.VsockListeners;

/**
 * Binds the vsock meters: {@code vsock.transport.available} for each transport, and for each
 * listener {@code vsock.connections.active}, {@code vsock.connections.accepted},
 * {@code vsock.connections.rejected} and {@code vsock.bytes.received} / {@code vsock.bytes.sent},
 * tagged with the server kind and the listener's port.
 *
 * <p>Bind it once the web server listens (the listeners and their ports exist from then on).
 */
public class VsockMetrics implements MeterBinder {

	private final Supplier<VsockTransports> transports;

	private final VsockListeners listeners;

	/**
	 * Creates the binder.
	 * @param transports detects the transports, called each time the gauge is read
	 * @param listeners the listeners to meter
	 */
	public VsockMetrics(Supplier<VsockTransports> transports, VsockListeners listeners) {
		this.transports = transports;
		this.listeners = listeners;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (VsockTransport transport : VsockTransport.values()) {
			Gauge.builder("vsock.transport.available", () -> this.transports.get().isAvailable(transport) ? 1 : 0)
				.tag("transport", transport.id())
				.description("Whether the kernel offers this vsock transport (1) or not (0)")
				.register(registry);
		}
		for (VsockListener listener : this.listeners.all()) {
			bind(registry, listener);
		}
	}

	private void bind(MeterRegistry registry, VsockListener listener) {
		Tags tags = Tags.of("server", listener.serverKind(), "port", Long.toString(listener.address().port()));
		VsockConnectionCounters counters = listener.counters();
		Gauge.builder("vsock.connections.active", listener, VsockListener::openConnections)
			.tags(tags)
			.baseUnit(BaseUnits.CONNECTIONS)
			.description("Connections open on the vsock listener")
			.register(registry);
		counter(registry, "vsock.connections.accepted", tags, BaseUnits.CONNECTIONS,
				"Connections accepted by the vsock listener", counters, VsockConnectionCounters::acceptedCount);
		counter(registry, "vsock.connections.rejected", tags.and("reason", "not-allowed"), BaseUnits.CONNECTIONS,
				"Connections closed at once because the peer's CID is not in server.vsock.allowed-cids", counters,
				VsockConnectionCounters::notAllowedCount);
		counter(registry, "vsock.connections.rejected", tags.and("reason", "limit"), BaseUnits.CONNECTIONS,
				"Connections closed at once because the listener had server.vsock.max-connections open", counters,
				VsockConnectionCounters::overLimitCount);
		counter(registry, "vsock.bytes.received", tags, BaseUnits.BYTES, "Bytes received on vsock connections",
				counters, VsockConnectionCounters::receivedBytes);
		counter(registry, "vsock.bytes.sent", tags, BaseUnits.BYTES, "Bytes sent on vsock connections", counters,
				VsockConnectionCounters::sentBytes);
	}

	private static void counter(MeterRegistry registry, String name, Tags tags, String unit, String description,
			VsockConnectionCounters counters, ToDoubleFunction<VsockConnectionCounters> count) {
		FunctionCounter.builder(name, counters, count)
			.tags(tags)
			.baseUnit(unit)
			.description(description)
			.register(registry);
	}

}
