package dev.vsock.boot.grpc;

import java.util.function.UnaryOperator;

import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import org.jspecify.annotations.Nullable;

import org.springframework.grpc.client.GrpcChannelBuilderCustomizer;

/**
 * Makes the channels Spring gRPC creates for {@code vsock://CID:PORT} targets (named by a channel's
 * {@code spring.grpc.client.channel.<name>.target}, or given to the channel factory as they are)
 * connect over AF_VSOCK, on one epoll event loop group that closing this customizer shuts down;
 * other targets are left alone.
 */
public final class VsockGrpcChannelBuilderCustomizer
		implements GrpcChannelBuilderCustomizer<NettyChannelBuilder>, AutoCloseable {

	private final UnaryOperator<String> targets;

	private volatile @Nullable EventLoopGroup group;

	/**
	 * Creates the customizer.
	 * @param targets the target a channel's name stands for (Spring gRPC passes customizers the
	 * name the channel was asked for, which may be a configured channel's)
	 */
	public VsockGrpcChannelBuilderCustomizer(UnaryOperator<String> targets) {
		this.targets = targets;
	}

	@Override
	public void customize(String name, NettyChannelBuilder builder) {
		if (VsockGrpcChannels.isVsockTarget(this.targets.apply(name))) {
			VsockGrpcChannels.useVsock(builder, group());
		}
	}

	private synchronized EventLoopGroup group() {
		EventLoopGroup group = this.group;
		if (group == null) {
			group = VsockGrpcChannels.newEventLoopGroup();
			this.group = group;
		}
		return group;
	}

	/**
	 * Shuts the event loops down, once the channels are closed.
	 */
	@Override
	public synchronized void close() {
		EventLoopGroup group = this.group;
		if (group != null) {
			group.shutdownGracefully();
			this.group = null;
		}
	}

}
