package dev.vsock.boot.grpc;

import java.net.SocketAddress;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.StatusOr;
import org.jspecify.annotations.Nullable;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.client.VsockUris;

/**
 * Resolves gRPC targets of the form {@code vsock://CID:PORT} ({@code vsock://2:5000},
 * {@code vsock://local:5000}) or {@code vsock:CID:PORT} to their {@link VsockAddress}; registered
 * with grpc-java through {@code META-INF/services}, so that any channel builder accepts such a
 * target. The channel also needs vsock channels: see {@link VsockGrpcChannels}.
 *
 * <p>grpc-java reads the port of a URI's authority as a signed 32-bit number: a vsock port from
 * 2147483648 up (the kernel picks ports from the whole unsigned range) can only be written
 * {@code vsock:CID:PORT}, which has no authority.
 */
public final class VsockNameResolverProvider extends NameResolverProvider {

	@Override
	public String getDefaultScheme() {
		return VsockUris.SCHEME;
	}

	@Override
	protected boolean isAvailable() {
		return true;
	}

	@Override
	protected int priority() {
		return 5;
	}

	@Override
	public @Nullable NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
		if (!VsockUris.isVsock(targetUri)) {
			return null;
		}
		if (!targetUri.isOpaque()) {
			return new FixedResolver(targetUri.getRawAuthority(), VsockUris.target(targetUri));
		}
		String target = targetUri.getRawSchemeSpecificPart();
		VsockAddress address = VsockAddress.parse(target);
		if (address.isAnyCid() || address.isAnyPort()) {
			throw new IllegalArgumentException("Invalid vsock target '" + targetUri
					+ "': a client calls one CID and one port, not 'any'");
		}
		return new FixedResolver(target, address);
	}

	/**
	 * Returns the target to give grpc-java for a vsock address, in the form its URI parser takes
	 * for every port: {@code vsock:CID:PORT}.
	 * @param address the address
	 * @return the target
	 */
	public static String target(VsockAddress address) {
		return VsockUris.SCHEME + ":" + address.cidText() + ":" + address.port();
	}

	@Override
	public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
		return Set.of(VsockAddress.class);
	}

	/**
	 * A resolver of one vsock address, which never changes.
	 */
	private static final class FixedResolver extends NameResolver {

		private final String authority;

		private final VsockAddress address;

		private FixedResolver(String authority, VsockAddress address) {
			this.authority = authority;
			this.address = address;
		}

		@Override
		public String getServiceAuthority() {
			return this.authority;
		}

		@Override
		public void start(Listener2 listener) {
			listener.onResult2(ResolutionResult.newBuilder()
				.setAddressesOrError(StatusOr.fromValue(List.of(new EquivalentAddressGroup(this.address))))
				.build());
		}

		@Override
		public void shutdown() {
		}

	}

}
