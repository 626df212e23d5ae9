package dev.vsock.boot.grpc;

import java.nio.file.Path;
import java.time.Duration;

import io.grpc.ChannelCredentials;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.client.VsockUris;
import dev.vsock.boot.hybrid.HybridVsockConnectHandler;
import dev.vsock.boot.netty.VsockChannel;

/**
 * gRPC channels over vsock on grpc-java's Netty transport: to a {@code vsock://CID:PORT} target or
 * a {@link VsockAddress} over AF_VSOCK, or to a guest's port through hybrid vsock's Unix socket
 * (the host side of Firecracker and Cloud Hypervisor). Every channel needs an epoll event loop
 * group, which the caller owns and shuts down after its channels.
 */
public final class VsockGrpcChannels {

	private VsockGrpcChannels() {
	}

	/**
	 * Returns a new epoll event loop group for vsock channels, of daemon threads.
	 * @return the group, to shut down after its channels
	 */
	public static EventLoopGroup newEventLoopGroup() {
		return new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("vsock-grpc-client", true),
				EpollIoHandler.newFactory());
	}

	/**
	 * Returns whether a gRPC target names a vsock address.
	 * @param target the target, for example {@code vsock://2:5000}
	 * @return whether it starts with {@code vsock:}
	 */
	public static boolean isVsockTarget(String target) {
		return target.regionMatches(true, 0, VsockUris.SCHEME + ":", 0, VsockUris.SCHEME.length() + 1);
	}

	/**
	 * Makes a channel builder's connections AF_VSOCK connections, for a builder of a
	 * {@code vsock://CID:PORT} target ({@link VsockNameResolverProvider} resolves it) or of a
	 * {@link VsockAddress}.
	 * @param builder the builder
	 * @param group the epoll event loop group of the channel
	 * @return the builder
	 */
	public static NettyChannelBuilder useVsock(NettyChannelBuilder builder, EventLoopGroup group) {
		return builder.channelType(VsockChannel.class, VsockAddress.class).eventLoopGroup(group);
	}

	/**
	 * Returns a channel builder to a vsock address over AF_VSOCK.
	 * @param address the server's address
	 * @param credentials the channel's credentials (plain text or TLS)
	 * @param group the epoll event loop group of the channel
	 * @return the builder
	 */
	public static NettyChannelBuilder forAddress(VsockAddress address, ChannelCredentials credentials,
			EventLoopGroup group) {
		return useVsock(NettyChannelBuilder.forAddress(address, credentials), group);
	}

	/**
	 * Returns a channel builder to a guest's vsock port through hybrid vsock: each connection goes
	 * to the VMM's Unix socket and asks for the port with {@code CONNECT <port>}.
	 * @param socketPath the Unix socket of the guest's vsock device (the VMM's {@code uds_path})
	 * @param port the guest's vsock port
	 * @param connectTimeout how long to wait for the VMM's {@code OK}
	 * @param credentials the channel's credentials (plain text or TLS)
	 * @param group the epoll event loop group of the channel
	 * @return the builder
	 */
	public static NettyChannelBuilder forHybrid(Path socketPath, long port, Duration connectTimeout,
			ChannelCredentials credentials, EventLoopGroup group) {
		return NettyChannelBuilder.forAddress(new DomainSocketAddress(socketPath.toFile()), credentials)
			.channelFactory(() -> {
				EpollDomainSocketChannel channel = new EpollDomainSocketChannel();
				channel.pipeline()
					.addFirst(HybridVsockConnectHandler.NAME,
							new HybridVsockConnectHandler(socketPath, port, connectTimeout.toMillis()));
				return channel;
			}, DomainSocketAddress.class)
			.eventLoopGroup(group);
	}

}
