package dev.vsock.boot.web;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationListener;

import dev.vsock.boot.transport.VsockTransports;

/**
 * Logs the vsock situation once the application accepts traffic: the transports the kernel
 * offers, the local CID, and where the vsock listeners listen (on a socket the service manager
 * passed, when they inherited one). Logged after Spring Boot's readiness state has become
 * {@code ACCEPTING_TRAFFIC}, and only the first time, so that detecting the transports (which reads
 * {@code /sys} and asks the kernel for the local CID) is not on the way to readiness.
 */
public class VsockStartupSummary implements ApplicationListener<AvailabilityChangeEvent<?>> {

	private static final Log logger = LogFactory.getLog(VsockStartupSummary.class);

	private final Supplier<VsockTransports> transports;

	private final VsockListeners listeners;

	private final AtomicBoolean logged = new AtomicBoolean();

	/**
	 * Creates the summary.
	 * @param transports detects the transports
	 * @param listeners the listeners
	 */
	public VsockStartupSummary(Supplier<VsockTransports> transports, VsockListeners listeners) {
		this.transports = transports;
		this.listeners = listeners;
	}

	@Override
	public void onApplicationEvent(AvailabilityChangeEvent<?> event) {
		if (event.getState() == ReadinessState.ACCEPTING_TRAFFIC && this.logged.compareAndSet(false, true)) {
			logger.info(summary());
		}
	}

	/**
	 * Returns the line that is logged.
	 * @return the summary
	 */
	String summary() {
		String listening = this.listeners.all()
			.stream()
			.map(VsockStartupSummary::describe)
			.collect(Collectors.joining(", "));
		return "Vsock: " + this.transports.get() + "; listeners: " + (listening.isEmpty() ? "none" : listening);
	}

	private static String describe(VsockListener listener) {
		String inherited = listener.inheritedFrom();
		return listener.address() + " (" + listener.serverKind() + ", "
				+ (listener.isListening() ? "listening" : "stopped")
				+ ((inherited != null) ? ", inherited " + inherited : "") + ")";
	}

}
