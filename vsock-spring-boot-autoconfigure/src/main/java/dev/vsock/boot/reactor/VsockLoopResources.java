package dev.vsock.boot.reactor;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

import dev.vsock.boot.netty.VsockChannel;
import dev.vsock.boot.netty.VsockServerChannel;

/**
 * Reactor Netty loop resources whose channels are AF_VSOCK channels: epoll event loops, a
 * {@link VsockServerChannel} (or the server channel given) wherever Reactor Netty asks for a
 * server channel and a {@link VsockChannel} wherever it asks for a connection.
 */
public final class VsockLoopResources implements LoopResources {

	private final EventLoopGroup group;

	private final Class<? extends ServerChannel> serverChannelType;

	private final Supplier<? extends ServerChannel> serverChannels;

	/**
	 * Creates loop resources with their own event loops.
	 * @param threadPrefix the prefix of the event loop thread names
	 * @param threads the number of event loop threads
	 */
	public VsockLoopResources(String threadPrefix, int threads) {
		this(threadPrefix, threads, VsockServerChannel.class, VsockServerChannel::new);
	}

	/**
	 * Creates loop resources with their own event loops whose server channels come from the given
	 * supplier (hybrid vsock's host side listens on a Unix socket instead).
	 * @param threadPrefix the prefix of the event loop thread names
	 * @param threads the number of event loop threads
	 * @param serverChannelType the type of server channel
	 * @param serverChannels makes a server channel wherever Reactor Netty asks for one
	 */
	public VsockLoopResources(String threadPrefix, int threads, Class<? extends ServerChannel> serverChannelType,
			Supplier<? extends ServerChannel> serverChannels) {
		this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadPrefix, true),
				EpollIoHandler.newFactory());
		this.serverChannelType = serverChannelType;
		this.serverChannels = serverChannels;
	}

	@Override
	public EventLoopGroup onServer(boolean useNative) {
		return this.group;
	}

	@Override
	public EventLoopGroup onServerSelect(boolean useNative) {
		return this.group;
	}

	@Override
	public EventLoopGroup onClient(boolean useNative) {
		return this.group;
	}

	@Override
	@SuppressWarnings("unchecked")
	public <C extends Channel> C onChannel(Class<C> channelType, EventLoopGroup group) {
		return (C) (ServerChannel.class.isAssignableFrom(channelType) ? this.serverChannels.get() : new VsockChannel());
	}

	@Override
	@SuppressWarnings("unchecked")
	public <C extends Channel> Class<? extends C> onChannelClass(Class<C> channelType, EventLoopGroup group) {
		return (Class<? extends C>) (ServerChannel.class.isAssignableFrom(channelType)
				? this.serverChannelType : VsockChannel.class);
	}

	@Override
	public boolean daemon() {
		return true;
	}

	@Override
	public boolean isDisposed() {
		return this.group.isShutdown();
	}

	@Override
	public Mono<Void> disposeLater(Duration quietPeriod, Duration timeout) {
		return Mono.defer(() -> {
			this.group.shutdownGracefully(quietPeriod.toMillis(), timeout.toMillis(),
					TimeUnit.MILLISECONDS);
			return Mono.<Void>fromFuture(() -> toCompletable(this.group.terminationFuture()));
		});
	}

	private static CompletableFuture<Void> toCompletable(Future<?> future) {
		CompletableFuture<Void> result = new CompletableFuture<>();
		future.addListener((done) -> result.complete(null));
		return result;
	}

}
