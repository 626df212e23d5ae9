package dev.vsock.boot.client;

import java.net.URI;

import org.jspecify.annotations.Nullable;

import dev.vsock.boot.VsockAddress;

/**
 * URIs of the form {@code vsock://<cid>:<port>/path?query}: the host part names the vsock target
 * ({@code 3}, {@code local}, {@code host} or another CID), the rest is the HTTP request's.
 */
public final class VsockUris {

	/** The scheme of a vsock URI. */
	public static final String SCHEME = "vsock";

	private VsockUris() {
	}

	/**
	 * Returns whether a URI names a vsock target.
	 * @param uri the URI
	 * @return whether its scheme is {@code vsock}
	 */
	public static boolean isVsock(URI uri) {
		return SCHEME.equalsIgnoreCase(uri.getScheme());
	}

	/**
	 * Returns the vsock target of a URI.
	 * @param uri a {@code vsock://<cid>:<port>/...} URI
	 * @return the address to connect to
	 * @throws IllegalArgumentException if the URI is not a vsock URI with a CID and a port
	 */
	public static VsockAddress target(URI uri) {
		String authority = uri.getRawAuthority();
		if (!isVsock(uri) || authority == null || authority.lastIndexOf(':') <= 0) {
			throw new IllegalArgumentException("Invalid vsock URI '" + uri
					+ "': expected vsock://<cid>:<port>/path, for example vsock://3:8080/status");
		}
		VsockAddress target = VsockAddress.parse(authority);
		if (target.isAnyCid() || target.isAnyPort()) {
			throw new IllegalArgumentException("Invalid vsock URI '" + uri
					+ "': a client calls one CID and one port, not 'any'");
		}
		return target;
	}

	/**
	 * Returns the request URI a vsock URI stands for: its path and query, relative, since the
	 * connection goes to the vsock target and not to a host a resolver could look up.
	 * @param uri a {@code vsock://<cid>:<port>/...} URI
	 * @return the relative request URI
	 */
	public static URI toRequestUri(URI uri) {
		target(uri);
		return URI.create(rawPathAndQuery(uri));
	}

	private static String rawPathAndQuery(URI uri) {
		String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty()) ? "/" : uri.getRawPath();
		@Nullable String query = uri.getRawQuery();
		return (query != null) ? path + "?" + query : path;
	}

}
