package dev.vsock.boot.reactor;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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
 * {@link VsockServerChannel} wherever Reactor Netty asks for a server channel and a
 * {@link VsockChannel} wherever it asks for a connection.
 */
public final class VsockLoopResources implements LoopResources {

	private final EventLoopGroup group;

	/**
	 * Creates loop resources with their own event loops.
	 * @param threadPrefix the prefix of the event loop thread names
	 * @param threads the number of event loop threads
	 */
	public VsockLoopResources(String threadPrefix, int threads) {
		this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadPrefix, true),
				EpollIoHandler.newFactory());
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
		return (C) (ServerChannel.class.isAssignableFrom(channelType) ? new VsockServerChannel() : new VsockChannel());
	}

	@Override
	@SuppressWarnings("unchecked")
	public <C extends Channel> Class<? extends C> onChannelClass(Class<C> channelType, EventLoopGroup group) {
		return (Class<? extends C>) (ServerChannel.class.isAssignableFrom(channelType) ? VsockServerChannel.class
				: VsockChannel.class);
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
