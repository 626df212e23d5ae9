package dev.vsock.boot.grpc;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.grpc.EquivalentAddressGroup;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.NameResolver;
import io.grpc.NameResolverRegistry;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.Test;

import dev.vsock.boot.VsockAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@code vsock://CID:PORT} targets: resolved to a {@link VsockAddress} by the provider grpc-java
 * finds on its own, and accepted by a Netty channel builder once its channels are vsock channels.
 * Nothing connects: building a channel does not.
 */
class VsockNameResolverProviderTest {

	@Test
	void grpcFindsTheProviderAndResolvesATargetToItsVsockAddress() {
		NameResolver resolver = NameResolverRegistry.getDefaultRegistry()
			.asFactory()
			.newNameResolver(URI.create("vsock://host:5000"), args());
		assertThat(resolver).isNotNull();
		assertThat(resolver.getServiceAuthority()).isEqualTo("host:5000");
		List<EquivalentAddressGroup> resolved = new ArrayList<>();
		resolver.start(new NameResolver.Listener2() {

			@Override
			public void onResult(NameResolver.ResolutionResult result) {
				resolved.addAll(result.getAddressesOrError().getValue());
			}

			@Override
			public void onError(Status error) {
				throw error.asRuntimeException();
			}

		});
		assertThat(resolved).singleElement()
			.satisfies((group) -> assertThat(group.getAddresses()).containsExactly(VsockAddress.of(2, 5000)));
	}

	@Test
	void aPortAboveTheSignedRangeIsWrittenWithoutAnAuthority() throws Exception {
		VsockAddress high = VsockAddress.of(1, 3_333_705_265L);
		assertThat(VsockNameResolverProvider.target(high)).isEqualTo("vsock:local:3333705265");
		try (VsockGrpcChannelBuilderCustomizer customizer = new VsockGrpcChannelBuilderCustomizer((name) -> name)) {
			NettyChannelBuilder opaque = NettyChannelBuilder.forTarget(VsockNameResolverProvider.target(high),
					InsecureChannelCredentials.create());
			customizer.customize(VsockNameResolverProvider.target(high), opaque);
			ManagedChannel channel = opaque.build();
			assertThat(channel.authority()).isEqualTo("local:3333705265");
			channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
			assertThatIllegalArgumentException()
				.isThrownBy(() -> customizer.customize("vsock://1:3333705265",
						NettyChannelBuilder.forTarget("vsock://1:3333705265", InsecureChannelCredentials.create())))
				.withMessageContaining("write the target vsock:1:3333705265");
		}
	}

	@Test
	void otherSchemesAreLeftToOtherProviders() {
		assertThat(new VsockNameResolverProvider().newNameResolver(URI.create("dns:///example.org:443"), args()))
			.isNull();
	}

	@Test
	void aTargetWithoutPortIsRefusedWithTheExpectedForm() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new VsockNameResolverProvider().newNameResolver(URI.create("vsock://3"), args()))
			.withMessageContaining("expected vsock://<cid>:<port>");
	}

	@Test
	void aNettyChannelTakesAVsockTargetOnlyWithVsockChannels() throws Exception {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> NettyChannelBuilder.forTarget("vsock://3:5000", InsecureChannelCredentials.create()).build())
			.withMessageContaining("not supported by transport");
		try (VsockGrpcChannelBuilderCustomizer customizer = new VsockGrpcChannelBuilderCustomizer(
				(name) -> "agent".equals(name) ? "vsock://3:5000" : name)) {
			NettyChannelBuilder byName = NettyChannelBuilder.forTarget("vsock://3:5000",
					InsecureChannelCredentials.create());
			customizer.customize("agent", byName);
			ManagedChannel channel = byName.build();
			assertThat(channel.authority()).isEqualTo("3:5000");
			channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
	}

	private static NameResolver.Args args() {
		return NameResolver.Args.newBuilder()
			.setDefaultPort(443)
			.setProxyDetector((address) -> null)
			.setSynchronizationContext(new SynchronizationContext((thread, error) -> {
				throw new IllegalStateException(error);
			}))
			.setServiceConfigParser(new NameResolver.ServiceConfigParser() {

				@Override
				public NameResolver.ConfigOrError parseServiceConfig(java.util.Map<String, ?> rawServiceConfig) {
					return NameResolver.ConfigOrError.fromConfig(new Object());
				}

			})
			.build();
	}

}
