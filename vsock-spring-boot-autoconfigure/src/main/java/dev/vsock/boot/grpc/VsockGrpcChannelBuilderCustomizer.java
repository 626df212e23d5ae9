package dev.vsock.boot.grpc;

import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

	private static final Pattern AUTHORITY = Pattern.compile("(?i)vsock://([^:/]+):([0-9]{1,10})(.*)");

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
		String target = this.targets.apply(name);
		if (VsockGrpcChannels.isVsockTarget(target)) {
			checkPort(target);
			VsockGrpcChannels.useVsock(builder, group());
		}
	}

	/**
	 * Refuses, with the way out, a {@code vsock://CID:PORT} target whose port grpc-java's URI
	 * parser cannot read (it reads a port as a signed 32-bit number), which it would report as
	 * "Could not find a NameResolverProvider".
	 */
	private static void checkPort(String target) {
		Matcher authority = AUTHORITY.matcher(target);
		if (authority.matches() && Long.parseLong(authority.group(2)) > Integer.MAX_VALUE) {
			throw new IllegalArgumentException("Invalid gRPC target '" + target + "': grpc-java reads the port of"
					+ " a URI as a signed 32-bit number, and " + authority.group(2) + " is larger; write the target"
					+ " vsock:" + authority.group(1) + ":" + authority.group(2) + authority.group(3));
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
