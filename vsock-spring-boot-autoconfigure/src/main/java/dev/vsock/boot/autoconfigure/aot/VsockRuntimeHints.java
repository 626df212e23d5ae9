package dev.vsock.boot.autoconfigure.aot;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

import dev.vsock.boot.hybrid.HybridVsockServerChannel;
import dev.vsock.boot.netty.VsockChannel;
import dev.vsock.boot.netty.VsockServerChannel;

/**
 * Runtime hints for a native image: the vsock channels can be created reflectively, as Netty's
 * {@code ServerBootstrap.channel(Class)} and {@code Bootstrap.channel(Class)} do (its
 * {@code ReflectiveChannelFactory} calls the public no-argument constructor; the docs show it).
 * The starter itself creates them through suppliers, and loads nothing else by name: its
 * configuration properties get their hints from Spring Boot, its {@code spring.factories} entries
 * from Spring's own registrar, and Netty's epoll natives from the metadata in Netty's jars. The
 * local CID, read through the FFM API, reads as unknown where the native image does not allow the
 * downcall.
 */
class VsockRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		for (Class<?> channel : new Class<?>[] { VsockServerChannel.class, VsockChannel.class,
				HybridVsockServerChannel.class }) {
			hints.reflection().registerType(channel, MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
		}
	}

}
