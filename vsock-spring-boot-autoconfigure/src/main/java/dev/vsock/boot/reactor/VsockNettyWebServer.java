package dev.vsock.boot.reactor;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.channel.ChannelOption;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.netty.DisposableServer;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

import org.springframework.boot.web.server.GracefulShutdownCallback;
import org.springframework.boot.web.server.GracefulShutdownResult;
import org.springframework.boot.web.server.Shutdown;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.WebServerException;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.netty.VsockListenerSocket;
import dev.vsock.boot.web.VsockAdmission;
import dev.vsock.boot.web.VsockConnectionGate;
import dev.vsock.boot.web.VsockListener;
import dev.vsock.boot.web.VsockListenerSettings;
import dev.vsock.boot.web.VsockListeners;

/**
 * A Reactor Netty web server that listens on vsock, beside the TCP server Spring Boot built (or
 * alone, with {@code server.port=-1}), both started, drained and stopped together.
 *
 * <p>Spring Boot's own {@code NettyWebServer} serves the TCP side but cannot serve the vsock one:
 * it reads the bound port by casting the server's address to {@code InetSocketAddress} (a vsock
 * address is none, and a vsock port may not fit), and starts the server on its resource factory's
 * loop resources, which would replace the vsock channels. What it does around that (graceful
 * shutdown through the channel group, the await thread) is done here the same way.
 */
public class VsockNettyWebServer implements WebServer, VsockListener {

	private static final Log logger = LogFactory.getLog(VsockNettyWebServer.class);

	private final @Nullable WebServer tcp;

	private final HttpServer vsock;

	private final VsockListenerSocket listenerSocket;

	private final LoopResources loops;

	private final @Nullable Duration lifecycleTimeout;

	private final Shutdown shutdown;

	private final VsockListeners listeners;

	private volatile @Nullable DisposableServer server;

	private final VsockAdmission admission;

	private final String serverName;

	/**
	 * Creates a server that is not started yet, listening on AF_VSOCK or, for the host side of
	 * hybrid vsock, on a Unix socket.
	 * @param tcp the TCP server Spring Boot built, or {@code null} to serve on vsock only
	 * @param vsock the vsock server, configured and with its handler
	 * @param listenerSocket the socket it binds
	 * @param loops the loop resources of the vsock server, disposed with it
	 * @param lifecycleTimeout how long start and stop may take, or {@code null} for Reactor
	 * Netty's default
	 * @param shutdown whether a shutdown drains in-flight requests first
	 * @param settings where to register the listener, under which server name, and who may
	 * connect
	 */
	public VsockNettyWebServer(@Nullable WebServer tcp, HttpServer vsock, VsockListenerSocket listenerSocket,
			LoopResources loops, @Nullable Duration lifecycleTimeout, Shutdown shutdown,
			VsockListenerSettings settings) {
		this.tcp = tcp;
		this.listenerSocket = listenerSocket;
		this.admission = settings.newAdmission();
		VsockConnectionGate gate = new VsockConnectionGate(this.admission);
		this.vsock = vsock.doOnChannelInit((observer, channel, remoteAddress) -> {
			gate.admit(channel);
			// A client that half-closes after its request (socat) still gets its answer.
			channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
			if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
				channel.pipeline().addAfter(NettyPipeline.HttpCodec, VsockHalfCloseHandler.NAME, new VsockHalfCloseHandler());
			}
		});
		this.serverName = settings.serverName();
		this.loops = loops;
		this.lifecycleTimeout = lifecycleTimeout;
		this.shutdown = shutdown;
		this.listeners = settings.listeners();
		this.listeners.add(this);
	}

	/**
	 * Returns the vsock server as configured, not started.
	 * @return the vsock server
	 */
	HttpServer vsockServer() {
		return this.vsock;
	}

	/**
	 * Returns the TCP server, if there is one.
	 * @return the TCP server, or {@code null} with {@code server.port=-1}
	 */
	@Nullable WebServer tcpServer() {
		return this.tcp;
	}

	@Override
	public void start() throws WebServerException {
		if (this.tcp != null) {
			this.tcp.start();
		}
		if (this.server != null) {
			return;
		}
		DisposableServer server;
		try {
			server = (this.lifecycleTimeout != null) ? this.vsock.bindNow(this.lifecycleTimeout) : this.vsock.bindNow();
		}
		catch (Exception ex) {
			throw new WebServerException("Unable to start Netty on " + this.listenerSocket.describe(address()), ex);
		}
		this.server = server;
		startAwaitThread(server);
		logger.info("Netty started on " + this.listenerSocket.describe(address())
				+ ((this.vsock.configuration().sslProvider() != null) ? " (https)" : " (http)"));
	}

	/**
	 * Keeps the JVM alive while the server runs, as Spring Boot's own Netty server does: the
	 * event loop threads are daemons.
	 */
	private void startAwaitThread(DisposableServer server) {
		Thread awaiter = new Thread(() -> server.onDispose().block(), "vsock-server");
		awaiter.setContextClassLoader(getClass().getClassLoader());
		awaiter.setDaemon(false);
		awaiter.start();
	}

	@Override
	public void shutDownGracefully(GracefulShutdownCallback callback) {
		DisposableServer server = this.server;
		if (this.shutdown != Shutdown.GRACEFUL || server == null) {
			if (this.tcp != null) {
				this.tcp.shutDownGracefully(callback);
			}
			else {
				callback.shutdownComplete(GracefulShutdownResult.IMMEDIATE);
			}
			return;
		}
		GracefulShutdownCallback both = bothDone(callback);
		if (this.tcp != null) {
			this.tcp.shutDownGracefully(both);
		}
		else {
			both.shutdownComplete(GracefulShutdownResult.IDLE);
		}
		logger.info("Commencing graceful shutdown of the vsock listener. Waiting for active requests to complete");
		Thread drain = new Thread(() -> {
			try {
				server.disposeNow(Duration.ofNanos(Long.MAX_VALUE));
				logger.info("Graceful shutdown of the vsock listener complete");
				both.shutdownComplete(GracefulShutdownResult.IDLE);
			}
			catch (Exception ex) {
				logger.info("Graceful shutdown of the vsock listener aborted with one or more requests still active");
				both.shutdownComplete(GracefulShutdownResult.REQUESTS_ACTIVE);
			}
		}, "vsock-netty-shutdown");
		drain.start();
	}

	/**
	 * Returns a callback that completes the given one once it has been called twice, with the
	 * worse of the two results.
	 */
	private static GracefulShutdownCallback bothDone(GracefulShutdownCallback callback) {
		AtomicInteger pending = new AtomicInteger(2);
		AtomicReference<GracefulShutdownResult> result = new AtomicReference<>(GracefulShutdownResult.IDLE);
		return (done) -> {
			if (done == GracefulShutdownResult.REQUESTS_ACTIVE) {
				result.set(done);
			}
			if (pending.decrementAndGet() == 0) {
				callback.shutdownComplete(result.get());
			}
		};
	}

	@Override
	public void stop() throws WebServerException {
		DisposableServer server = this.server;
		this.server = null;
		try {
			if (server != null) {
				if (this.lifecycleTimeout != null) {
					server.disposeNow(this.lifecycleTimeout);
				}
				else {
					server.disposeNow();
				}
			}
		}
		catch (IllegalStateException ex) {
			// Timed out: the loops are disposed below all the same
		}
		finally {
			if (this.tcp != null) {
				this.tcp.stop();
			}
		}
	}

	/**
	 * Stops the server and lets its event loops go: after {@link #stop()} alone it can start
	 * again (a context stopped and started), as Spring Boot's own servers can.
	 */
	@Override
	public void destroy() {
		try {
			stop();
		}
		finally {
			this.listeners.remove(this);
			this.loops.dispose();
			if (this.tcp != null) {
				this.tcp.destroy();
			}
		}
	}

	@Override
	public int getPort() {
		return (this.tcp != null) ? this.tcp.getPort() : -1;
	}

	@Override
	public String serverKind() {
		return "reactor-netty";
	}

	@Override
	public String serverName() {
		return this.serverName;
	}

	@Override
	public VsockAddress address() {
		DisposableServer server = this.server;
		// Not server.address(): Reactor Netty casts that to InetSocketAddress.
		return (server != null && server.channel().localAddress() instanceof VsockAddress bound) ? bound
				: this.listenerSocket.address();
	}

	@Override
	public @Nullable Long bufferSize() {
		return this.listenerSocket.bufferSize();
	}

	@Override
	public @Nullable String inheritedFrom() {
		return this.listenerSocket.inheritedFrom();
	}

	@Override
	public boolean isListening() {
		DisposableServer server = this.server;
		return server != null && !server.isDisposed() && server.channel().isActive();
	}

	@Override
	public VsockAdmission admission() {
		return this.admission;
	}

}
