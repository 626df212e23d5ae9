package dev.vsock.boot;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The peer CIDs a vsock listener accepts connections from. A vsock peer's CID is set by the
 * hypervisor, not by the peer, which makes it a sound basis for deciding who may connect.
 */
public final class VsockAllowedCids {

	/** Every peer is accepted. */
	public static final VsockAllowedCids ANY = new VsockAllowedCids(Set.of());

	private final Set<Long> cids;

	private VsockAllowedCids(Set<Long> cids) {
		this.cids = cids;
	}

	/**
	 * Returns the allow-list of the given CIDs, or {@link #ANY} for an empty collection.
	 * @param cids the CIDs, each from 0 to {@value VsockAddress#MAX_VALUE}
	 * @return the allow-list
	 * @throws IllegalArgumentException for a CID out of range
	 */
	public static VsockAllowedCids of(Collection<Long> cids) {
		for (long cid : cids) {
			VsockAddress.of(cid, VsockAddress.PORT_ANY);
		}
		return cids.isEmpty() ? ANY : new VsockAllowedCids(Set.copyOf(cids));
	}

	/**
	 * Parses CIDs as {@link VsockAddress#parseCid(String)} does: numbers or the names
	 * {@code local} and {@code host}.
	 * @param cids the CIDs as text
	 * @return the allow-list, {@link #ANY} for an empty collection
	 * @throws IllegalArgumentException naming a value that is no CID
	 */
	public static VsockAllowedCids parse(Collection<String> cids) {
		return of(cids.stream().map(VsockAddress::parseCid).toList());
	}

	/**
	 * Returns whether a peer with this CID may connect.
	 * @param cid the peer's CID
	 * @return whether it is allowed
	 */
	public boolean allows(long cid) {
		return this.cids.isEmpty() || this.cids.contains(cid);
	}

	/**
	 * Returns whether every peer is allowed.
	 * @return whether the list is open
	 */
	public boolean isAny() {
		return this.cids.isEmpty();
	}

	@Override
	public String toString() {
		return isAny() ? "any" : new TreeSet<>(this.cids).stream().map(String::valueOf).collect(Collectors.joining(","));
	}

}
