package dev.vsock.boot.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import dev.vsock.boot.VsockAddress;

/**
 * What a client keeps per vsock target (a connector, a request factory), the least recently used
 * forgotten beyond a bound: a host agent that talks to one short-lived VM after another must not
 * keep something for each VM it ever called.
 *
 * @param <T> what is kept per target
 */
final class VsockTargets<T> {

	/** How many targets are kept; one more forgets the least recently used. */
	static final int MAX_TARGETS = 256;

	private final Map<VsockAddress, T> targets = new LinkedHashMap<>(16, 0.75f, true) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<VsockAddress, T> eldest) {
			return size() > MAX_TARGETS;
		}

	};

	private final Function<VsockAddress, T> factory;

	VsockTargets(Function<VsockAddress, T> factory) {
		this.factory = factory;
	}

	/**
	 * Returns what is kept for the target, made now if it is not.
	 * @param target the vsock address
	 * @return what is kept for it
	 */
	synchronized T get(VsockAddress target) {
		return this.targets.computeIfAbsent(target, this.factory);
	}

	/**
	 * Returns how many targets are kept.
	 * @return the number of targets
	 */
	synchronized int size() {
		return this.targets.size();
	}

}
