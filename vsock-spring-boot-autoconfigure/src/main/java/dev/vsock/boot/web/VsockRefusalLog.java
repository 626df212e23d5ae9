package dev.vsock.boot.web;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;

/**
 * Logs refused vsock connections at DEBUG, at most once per interval, with the number refused
 * since the last message, so that a peer that reconnects in a loop cannot flood the log.
 */
public final class VsockRefusalLog {

	private static final long INTERVAL_NANOS = 10_000_000_000L;

	private final Log log;

	private final AtomicLong nextMessage = new AtomicLong(System.nanoTime());

	private final AtomicLong suppressed = new AtomicLong();

	/**
	 * Creates a log that writes to the given logger.
	 * @param log the logger
	 */
	public VsockRefusalLog(Log log) {
		this.log = log;
	}

	/**
	 * Logs a refusal, unless one was logged within the interval.
	 * @param message the message, built only when it is logged
	 */
	public void refused(Supplier<String> message) {
		if (!this.log.isDebugEnabled()) {
			return;
		}
		long now = System.nanoTime();
		long next = this.nextMessage.get();
		if (now - next < 0 || !this.nextMessage.compareAndSet(next, now + INTERVAL_NANOS)) {
			this.suppressed.incrementAndGet();
			return;
		}
		long more = this.suppressed.getAndSet(0);
		this.log.debug(message.get() + ((more > 0) ? " (" + more + " more refused since the last message)" : ""));
	}

}
