package dev.vsock.boot.reactor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.DefaultEventExecutor;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRoutes;
import reactor.netty.resources.LoopResources;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.web.server.WebServer;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.netty.VsockListenerSocket;
import dev.vsock.boot.web.VsockListenerSettings;
import dev.vsock.boot.web.VsockListeners;
import dev.vsock.boot.web.VsockWebServerFactory;

/**
 * Spring Boot's Reactor Netty web server factory, with a vsock listener beside the TCP one
 * ({@code server.port=-1} leaves vsock alone).
 *
 * <p>The vsock server is the {@link HttpServer} Spring Boot builds (SSL, compression, HTTP/2,
 * every {@link NettyServerCustomizer}), taken after the last customizer, with the vsock address
 * and loop resources applied again on top, so that a customizer calling {@code port()} or
 * {@code runOn()} cannot turn it into a TCP server.
 */
public class VsockNettyReactiveWebServerFactory extends NettyReactiveWebServerFactory implements VsockWebServerFactory {

	private final VsockListenerSettings settings = new VsockListenerSettings();

	private @Nullable Duration lifecycleTimeout;

	private final List<NettyRouteProvider> routeProviders = new ArrayList<>();

	/**
	 * Creates a factory that builds Spring Boot's TCP-only server until it is given a vsock
	 * address (Spring Boot creates a separate management server's factory this way).
	 */
	public VsockNettyReactiveWebServerFactory() {
	}

	/**
	 * Creates a factory.
	 * @param address the vsock address to listen on
	 * @param listeners where the vsock listener is registered
	 */
	public VsockNettyReactiveWebServerFactory(VsockAddress address, VsockListeners listeners) {
		setVsockAddress(address);
		setVsockListeners(listeners, "server");
	}

	@Override
	public VsockListenerSettings getVsockSettings() {
		return this.settings;
	}

	@Override
	public void addRouteProviders(NettyRouteProvider... routeProviders) {
		super.addRouteProviders(routeProviders);
		this.routeProviders.addAll(Arrays.asList(routeProviders));
	}

	@Override
	public void setLifecycleTimeout(@Nullable Duration lifecycleTimeout) {
		super.setLifecycleTimeout(lifecycleTimeout);
		this.lifecycleTimeout = lifecycleTimeout;
	}

	@Override
	public WebServer getWebServer(HttpHandler httpHandler) {
		VsockAddress configured = this.settings.address();
		if (configured == null) {
			return super.getWebServer(httpHandler);
		}
		Capture capture = new Capture();
		getServerCustomizers().add(capture);
		WebServer tcp;
		try {
			tcp = super.getWebServer(httpHandler);
		}
		finally {
			getServerCustomizers().remove(capture);
		}
		VsockListenerSocket listener = this.settings.listenerSocket(configured);
		LoopResources loops = new VsockLoopResources("vsock-http", LoopResources.DEFAULT_IO_WORKER_COUNT,
				listener.serverChannelType(), listener::newServerChannel);
		HttpServer vsock = capture.server.bindAddress(listener::bindAddress).runOn(loops, false);
		// The channel group is what lets a graceful shutdown wait for in-flight requests, as in
		// Spring Boot's NettyWebServer, which adds it after the customizers ran.
		vsock = vsock.channelGroup(new DefaultChannelGroup(new DefaultEventExecutor()));
		vsock = withHandler(vsock, new ReactorHttpHandlerAdapter(httpHandler));
		return new VsockNettyWebServer((getPort() >= 0) ? tcp : null, vsock, listener, loops, this.lifecycleTimeout,
				getShutdown(), this.settings);
	}

	/**
	 * Routes the route providers' paths first, as Spring Boot's {@code NettyWebServer} does, and
	 * everything else to the application.
	 */
	private HttpServer withHandler(HttpServer server, ReactorHttpHandlerAdapter handler) {
		List<NettyRouteProvider> routeProviders = this.routeProviders;
		if (routeProviders.isEmpty()) {
			return server.handle(handler);
		}
		return server.route((routes) -> {
			HttpServerRoutes routed = routes;
			for (NettyRouteProvider provider : routeProviders) {
				routed = provider.apply(routed);
			}
			routed.route((request) -> true, handler);
		});
	}

	/**
	 * The last customizer: it sees the server as every other customizer left it.
	 */
	private static final class Capture implements NettyServerCustomizer {

		private HttpServer server = HttpServer.create();

		@Override
		public HttpServer apply(HttpServer server) {
			this.server = server;
			return server;
		}

	}

}
