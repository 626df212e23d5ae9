package dev.vsock.boot.web;

import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.VsockAllowedCids;

/**
 * Who may open a connection to one vsock listener, the same on every server: a peer whose CID is
 * allowed, while fewer connections than the limit are open. The others are closed before a byte
 * is read, counted, and logged at DEBUG at most once per interval.
 */
public final class VsockAdmission {

	private final VsockRefusalLog refusals = new VsockRefusalLog(LogFactory.getLog(VsockAdmission.class));

	private final VsockAllowedCids allowedCids;

	private final int maxConnections;

	private final VsockConnectionCounters counters = new VsockConnectionCounters();

	private final AtomicInteger open = new AtomicInteger();

	/**
	 * Creates the admission rules of a listener.
	 * @param allowedCids the peer CIDs that may connect
	 * @param maxConnections how many connections may be open at once, 0 for no limit
	 */
	public VsockAdmission(VsockAllowedCids allowedCids, int maxConnections) {
		if (maxConnections < 0) {
			throw new IllegalArgumentException(
					"Invalid max-connections " + maxConnections + ": expected 0 (no limit) or more");
		}
		this.allowedCids = allowedCids;
		this.maxConnections = maxConnections;
	}

	/**
	 * Admits a new connection, or refuses it; a connection admitted must be
	 * {@linkplain #release() released} once it is closed.
	 * @param peer the peer's address, or {@code null} over hybrid vsock's Unix socket, where the
	 * peer is the VMM and has no CID (allowed CIDs are refused at start-up there)
	 * @param listener the listener's address, for the log
	 * @return whether the connection may go on
	 */
	public boolean admit(@Nullable VsockAddress peer, Object listener) {
		if (peer != null && !this.allowedCids.allows(peer.cid())) {
			this.counters.notAllowed();
			this.refusals.refused(() -> "Closed a vsock connection from " + peer + " on " + listener
					+ ": its CID is not in the allowed CIDs (" + this.allowedCids + ")");
			return false;
		}
		if (this.open.incrementAndGet() > this.maxConnections && this.maxConnections > 0) {
			this.open.decrementAndGet();
			this.counters.overLimit();
			this.refusals.refused(() -> "Closed a vsock connection from " + ((peer != null) ? peer : "the VMM")
					+ " on " + listener + ": " + this.maxConnections + " connections are open (max-connections)");
			return false;
		}
		this.counters.accepted();
		return true;
	}

	/**
	 * Releases the place of an admitted connection that is closed.
	 */
	public void release() {
		this.open.decrementAndGet();
	}

	/**
	 * Returns how many admitted connections are open.
	 * @return the number of open connections
	 */
	public int openConnections() {
		return this.open.get();
	}

	/**
	 * Returns the peer CIDs that may connect.
	 * @return the allowed CIDs
	 */
	public VsockAllowedCids allowedCids() {
		return this.allowedCids;
	}

	/**
	 * Returns how many connections may be open at once.
	 * @return the limit, 0 for none
	 */
	public int maxConnections() {
		return this.maxConnections;
	}

	/**
	 * Returns the counts of connections and bytes, for the metrics.
	 * @return the counters
	 */
	public VsockConnectionCounters counters() {
		return this.counters;
	}

}
