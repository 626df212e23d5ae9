package dev.vsock.boot.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import dev.vsock.boot.transport.TransportStatus;
import dev.vsock.boot.transport.VsockTransport;
import dev.vsock.boot.transport.VsockTransports;
import dev.vsock.boot.web.VsockListener;
import dev.vsock.boot.web.VsockListeners;

/**
 * The {@code vsock} health component: which transports the kernel offers, the local CID, and
 * whether each vsock listener is up. DOWN when a listener that should listen does not, or when a
 * transport the application requires is missing.
 */
public class VsockHealthIndicator extends AbstractHealthIndicator {

	private final Supplier<VsockTransports> transports;

	private final VsockListeners listeners;

	private final boolean listenerExpected;

	private final List<VsockTransport> requiredTransports;

	/**
	 * Creates the indicator.
	 * @param transports detects the transports, on every health check
	 * @param listeners the application's vsock listeners
	 * @param listenerExpected whether the application was configured to listen on vsock
	 * @param requiredTransports transports without which the application is DOWN
	 */
	public VsockHealthIndicator(Supplier<VsockTransports> transports, VsockListeners listeners,
			boolean listenerExpected, List<VsockTransport> requiredTransports) {
		super("vsock health check failed");
		this.transports = transports;
		this.listeners = listeners;
		this.listenerExpected = listenerExpected;
		this.requiredTransports = List.copyOf(requiredTransports);
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		VsockTransports found = this.transports.get();
		builder.up();
		builder.withDetail("afVsock", found.isAfVsockPresent());
		Map<String, Object> transports = new LinkedHashMap<>();
		found.transports().forEach((transport, status) -> transports.put(transport.id(), details(status)));
		builder.withDetail("transports", transports);
		builder.withDetail("localCid",
				found.localCid().isPresent() ? (Object) found.localCid().getAsLong() : "unknown");
		List<VsockTransport> missing = this.requiredTransports.stream()
			.filter((transport) -> !found.isAvailable(transport))
			.toList();
		if (!missing.isEmpty()) {
			builder.down().withDetail("missingTransports", missing.stream().map(VsockTransport::id).toList());
		}
		List<VsockListener> all = this.listeners.all();
		builder.withDetail("listeners", all.stream().map(VsockHealthIndicator::details).toList());
		if ((this.listenerExpected && all.isEmpty()) || all.stream().anyMatch((listener) -> !listener.isListening())) {
			builder.down();
		}
	}

	private static Map<String, Object> details(TransportStatus status) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("available", status.available());
		if (status.driver() != null) {
			details.put("driver", status.driver());
		}
		if (status.detail() != null) {
			details.put("detail", status.detail());
		}
		return details;
	}

	private static Map<String, Object> details(VsockListener listener) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("server", listener.serverName());
		details.put("kind", listener.serverKind());
		details.put("cid", listener.address().cidText());
		details.put("port", listener.address().port());
		details.put("state", listener.isListening() ? "listening" : "stopped");
		details.put("allowedCids", listener.admission().allowedCids().toString());
		details.put("maxConnections", listener.admission().maxConnections());
		details.put("openConnections", listener.openConnections());
		Long bufferSize = listener.bufferSize();
		if (bufferSize != null) {
			details.put("bufferSize", bufferSize);
		}
		String inheritedFrom = listener.inheritedFrom();
		if (inheritedFrom != null) {
			details.put("inherited", inheritedFrom);
		}
		return details;
	}

}
