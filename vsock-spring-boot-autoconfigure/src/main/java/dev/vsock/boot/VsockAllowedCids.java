package dev.vsock.boot;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The peer CIDs a vsock listener accepts connections from. A vsock peer's CID is set by the
 * hypervisor, not by the peer, which makes it a sound basis for deciding who may connect.
 */
public final class VsockAllowedCids {

	/** Every peer is accepted. */
	public static final VsockAllowedCids ANY = new VsockAllowedCids(Set.of(), true);

	private final Set<Long> cids;

	private final boolean local;

	private VsockAllowedCids(Set<Long> cids, boolean local) {
		this.cids = cids;
		this.local = local;
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
			if (cid == VsockAddress.CID_ANY) {
				throw anyIsNoPeer(Long.toString(cid));
			}
		}
		return cids.isEmpty() ? ANY : new VsockAllowedCids(Set.copyOf(cids), true);
	}

	/**
	 * Parses CIDs as {@link VsockAddress#parseCid(String)} does: numbers or the names
	 * {@code local} and {@code host}; {@code any} is refused, since no peer has that CID.
	 * @param cids the CIDs as text
	 * @return the allow-list, {@link #ANY} for an empty collection
	 * @throws IllegalArgumentException naming a value that is no CID
	 */
	public static VsockAllowedCids parse(Collection<String> cids) {
		List<Long> parsed = new ArrayList<>();
		for (String text : cids) {
			long cid = VsockAddress.parseCid(text);
			if (cid == VsockAddress.CID_ANY) {
				throw anyIsNoPeer(text);
			}
			parsed.add(cid);
		}
		return of(parsed);
	}

	/**
	 * The CID that stands for every local CID when listening ({@code VMADDR_CID_ANY}) is no
	 * peer's: in an allow-list it would admit nobody.
	 */
	private static IllegalArgumentException anyIsNoPeer(String text) {
		return new IllegalArgumentException("Invalid allowed CID '" + text + "': it stands for any CID"
				+ " (VMADDR_CID_ANY, 4294967295), which no peer has, so it would admit nobody;"
				+ " leave the list empty to admit every peer");
	}

	/**
	 * Returns these CIDs with loopback peers (CID 1, processes of this machine) refused or not,
	 * whatever the list says.
	 * @param allowed whether loopback peers may connect
	 * @return the allow-list
	 */
	public VsockAllowedCids withLocal(boolean allowed) {
		return (allowed == this.local) ? this : new VsockAllowedCids(this.cids, allowed);
	}

	/**
	 * Returns whether a peer with this CID may connect.
	 * @param cid the peer's CID
	 * @return whether it is allowed
	 */
	public boolean allows(long cid) {
		if (cid == VsockAddress.CID_LOCAL && !this.local) {
			return false;
		}
		return this.cids.isEmpty() || this.cids.contains(cid);
	}

	/**
	 * Returns whether every peer is allowed.
	 * @return whether nothing is refused
	 */
	public boolean isAny() {
		return this.cids.isEmpty() && this.local;
	}

	@Override
	public String toString() {
		String cids = this.cids.isEmpty() ? "any"
				: new TreeSet<>(this.cids).stream().map(String::valueOf).collect(Collectors.joining(","));
		return this.local ? cids : cids + " but not local (1)";
	}

}
