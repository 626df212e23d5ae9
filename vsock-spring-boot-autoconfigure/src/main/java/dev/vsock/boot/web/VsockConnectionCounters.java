package dev.vsock.boot.web;

import java.util.concurrent.atomic.LongAdder;

/**
 * What a vsock listener counts: connections accepted and refused, bytes received and sent. Each
 * count is a {@link LongAdder}, so that counting costs an uncontended add per socket call.
 */
public final class VsockConnectionCounters {

	private final LongAdder accepted = new LongAdder();

	private final LongAdder notAllowed = new LongAdder();

	private final LongAdder overLimit = new LongAdder();

	private final LongAdder received = new LongAdder();

	private final LongAdder sent = new LongAdder();

	/**
	 * Counts a connection that was accepted and will be served.
	 */
	public void accepted() {
		this.accepted.increment();
	}

	/**
	 * Counts a connection that was closed at once because its peer's CID is not allowed.
	 */
	public void notAllowed() {
		this.notAllowed.increment();
	}

	/**
	 * Counts a connection that was closed at once because the listener had as many as it may.
	 */
	public void overLimit() {
		this.overLimit.increment();
	}

	/**
	 * Counts bytes read from a connection.
	 * @param bytes the number of bytes
	 */
	public void received(long bytes) {
		this.received.add(bytes);
	}

	/**
	 * Counts bytes written to a connection.
	 * @param bytes the number of bytes
	 */
	public void sent(long bytes) {
		this.sent.add(bytes);
	}

	/**
	 * Returns the number of connections accepted.
	 * @return the count
	 */
	public long acceptedCount() {
		return this.accepted.sum();
	}

	/**
	 * Returns the number of connections refused because the peer's CID is not allowed.
	 * @return the count
	 */
	public long notAllowedCount() {
		return this.notAllowed.sum();
	}

	/**
	 * Returns the number of connections refused because the listener was full.
	 * @return the count
	 */
	public long overLimitCount() {
		return this.overLimit.sum();
	}

	/**
	 * Returns the number of bytes received.
	 * @return the count
	 */
	public long receivedBytes() {
		return this.received.sum();
	}

	/**
	 * Returns the number of bytes sent.
	 * @return the count
	 */
	public long sentBytes() {
		return this.sent.sum();
	}

}
