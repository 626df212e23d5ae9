package dev.vsock.boot.autoconfigure.aot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.support.SpringFactoriesLoader;

import dev.vsock.boot.hybrid.HybridVsockServerChannel;
import dev.vsock.boot.netty.VsockChannel;
import dev.vsock.boot.netty.VsockServerChannel;

/**
 * The starter's runtime hints are found where Spring AOT looks for them and let Netty create the
 * vsock channels reflectively, as {@code ServerBootstrap.channel(Class)} does.
 */
class VsockRuntimeHintsTest {

	@Test
	void springAotFindsTheRegistrar() {
		assertThat(SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
			.load(RuntimeHintsRegistrar.class)).hasAtLeastOneElementOfType(VsockRuntimeHints.class);
	}

	@Test
	void theChannelsCanBeCreatedReflectively() {
		RuntimeHints hints = new RuntimeHints();
		new VsockRuntimeHints().registerHints(hints, getClass().getClassLoader());
		for (Class<?> channel : new Class<?>[] { VsockServerChannel.class, VsockChannel.class,
				HybridVsockServerChannel.class }) {
			assertThat(RuntimeHintsPredicates.reflection()
				.onType(channel)
				.withMemberCategory(MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS))
				.as(channel.getSimpleName())
				.accepts(hints);
		}
	}

}
