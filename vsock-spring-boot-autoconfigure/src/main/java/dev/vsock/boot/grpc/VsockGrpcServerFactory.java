package dev.vsock.boot.grpc;

import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

import io.grpc.ServerServiceDefinition;
import io.grpc.TlsServerCredentials.ClientAuth;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.grpc.server.NettyGrpcServerFactory;
import org.springframework.grpc.server.ServerBuilderCustomizer;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.netty.VsockListenerSocket;
import dev.vsock.boot.web.VsockAdmission;
import dev.vsock.boot.web.VsockConnectionGate;
import dev.vsock.boot.web.VsockListener;
import dev.vsock.boot.web.VsockListenerSettings;
import dev.vsock.boot.web.VsockWebServerFactory;

/**
 * A gRPC server factory whose servers listen on vsock: Spring gRPC's Netty factory with the
 * services, interceptors, customizers and TLS of the TCP server, and, applied after the
 * customizers, a vsock listener (AF_VSOCK, or hybrid vsock's Unix socket) that admits peers by the
 * rules of every vsock listener, on epoll event loops of its own.
 *
 * <p>Its listener settings (address, allowed CIDs, connection limit, hybrid socket, registry) are
 * set through {@link VsockWebServerFactory}, the same path as the web servers' factories.
 */
public class VsockGrpcServerFactory extends NettyGrpcServerFactory
		implements VsockWebServerFactory, AutoCloseable {

	private final VsockListenerSettings settings = new VsockListenerSettings();

	private @Nullable EventLoopGroup bossGroup;

	private @Nullable EventLoopGroup workerGroup;

	private volatile @Nullable VsockListenerSocket listenerSocket;

	private volatile @Nullable ServerChannel channel;

	private volatile VsockAdmission admission = this.settings.newAdmission();

	private final Listener listener = new Listener();

	private boolean registered;

	/**
	 * Creates a factory.
	 * @param serverBuilderCustomizers the customizers of every server's builder, as the TCP server
	 * has them
	 * @param keyManager the key manager for TLS, or {@code null} for plain text
	 * @param trustManager the trust manager for client certificates, or {@code null}
	 * @param clientAuth whether client certificates are asked for, or {@code null}
	 */
	public VsockGrpcServerFactory(List<ServerBuilderCustomizer<NettyServerBuilder>> serverBuilderCustomizers,
			@Nullable KeyManagerFactory keyManager, @Nullable TrustManagerFactory trustManager,
			@Nullable ClientAuth clientAuth) {
		super("vsock", serverBuilderCustomizers, keyManager, trustManager, clientAuth);
	}

	@Override
	public VsockListenerSettings getVsockSettings() {
		return this.settings;
	}

	/**
	 * Returns a port other than -1, so that the superclass applies TLS, which it leaves off for
	 * servers without a port (its in-process and Unix socket servers); the vsock port itself does
	 * not fit in an {@code int} and is read from the listener settings.
	 * @return 0
	 */
	@Override
	protected int port() {
		return 0;
	}

	@Override
	protected NettyServerBuilder newServerBuilder() {
		VsockAddress address = this.settings.address();
		if (address == null) {
			throw new IllegalStateException("No vsock address is set for the gRPC server");
		}
		VsockListenerSocket socket = this.settings.listenerSocket(address);
		this.listenerSocket = socket;
		this.admission = this.settings.newAdmission();
		synchronized (this) {
			if (!this.registered) {
				this.settings.listeners().add(this.listener);
				this.registered = true;
			}
		}
		return NettyServerBuilder.forAddress(socket.bindAddress(), credentials());
	}

	@Override
	protected void configure(NettyServerBuilder builder, List<ServerServiceDefinition> serviceDefinitions) {
		super.configure(builder, serviceDefinitions);
		// After the customizers, so that the server listens on vsock whatever they set.
		VsockListenerSocket socket = this.listenerSocket;
		VsockConnectionGate gate = new VsockConnectionGate(this.admission);
		builder.channelFactory(() -> newServerChannel(socket, gate))
			.bossEventLoopGroup(bossGroup())
			.workerEventLoopGroup(workerGroup());
	}

	private ServerChannel newServerChannel(@Nullable VsockListenerSocket socket, VsockConnectionGate gate) {
		if (socket == null) {
			throw new IllegalStateException("The vsock listener is not prepared");
		}
		ServerChannel channel = socket.newServerChannel();
		channel.pipeline().addLast(gate.acceptor());
		channel.closeFuture().addListener((closed) -> socket.closed());
		this.channel = channel;
		return channel;
	}

	private synchronized EventLoopGroup bossGroup() {
		if (this.bossGroup == null) {
			this.bossGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("vsock-grpc-boss", true),
					EpollIoHandler.newFactory());
		}
		return this.bossGroup;
	}

	private synchronized EventLoopGroup workerGroup() {
		if (this.workerGroup == null) {
			this.workerGroup = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("vsock-grpc", true),
					EpollIoHandler.newFactory());
		}
		return this.workerGroup;
	}

	/**
	 * Returns the vsock listener of this factory's servers, for the health, the meters and the
	 * published port.
	 * @return the listener
	 */
	public VsockListener getVsockListener() {
		return this.listener;
	}

	/**
	 * Takes the listener out of the registry and stops the event loops, once the servers are
	 * stopped for good.
	 */
	@Override
	public synchronized void close() {
		this.settings.listeners().remove(this.listener);
		this.registered = false;
		if (this.bossGroup != null) {
			this.bossGroup.shutdownGracefully();
			this.bossGroup = null;
		}
		if (this.workerGroup != null) {
			this.workerGroup.shutdownGracefully();
			this.workerGroup = null;
		}
	}

	/**
	 * The vsock listener of the factory's current server.
	 */
	private final class Listener implements VsockListener {

		@Override
		public String serverKind() {
			return "grpc";
		}

		@Override
		public String serverName() {
			return VsockGrpcServerFactory.this.settings.serverName();
		}

		@Override
		public VsockAddress address() {
			ServerChannel channel = VsockGrpcServerFactory.this.channel;
			if (channel != null && channel.localAddress() instanceof VsockAddress bound) {
				return bound;
			}
			VsockListenerSocket socket = VsockGrpcServerFactory.this.listenerSocket;
			if (socket != null) {
				return socket.address();
			}
			VsockAddress configured = VsockGrpcServerFactory.this.settings.address();
			return (configured != null) ? configured : VsockAddress.of(VsockAddress.CID_ANY, VsockAddress.PORT_ANY);
		}

		@Override
		public @Nullable Long bufferSize() {
			VsockListenerSocket socket = VsockGrpcServerFactory.this.listenerSocket;
			return (socket != null) ? socket.bufferSize() : null;
		}

		@Override
		public @Nullable String inheritedFrom() {
			VsockListenerSocket socket = VsockGrpcServerFactory.this.listenerSocket;
			return (socket != null) ? socket.inheritedFrom() : null;
		}

		@Override
		public boolean isListening() {
			ServerChannel channel = VsockGrpcServerFactory.this.channel;
			return channel != null && channel.isActive();
		}

		@Override
		public VsockAdmission admission() {
			return VsockGrpcServerFactory.this.admission;
		}

	}

}
