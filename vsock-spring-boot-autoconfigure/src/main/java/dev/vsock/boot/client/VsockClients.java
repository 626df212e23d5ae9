package dev.vsock.boot.client;

import java.time.Duration;

import reactor.netty.NettyPipeline;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ReactorClientHttpRequestFactory;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.reactor.VsockLoopResources;

/**
 * Clients that call a vsock service: Reactor Netty's {@link HttpClient}, and a {@link WebClient}
 * and a {@link RestClient} whose every request goes to one vsock address, whatever host the
 * request URI names.
 */
public final class VsockClients {

	private VsockClients() {
	}

	/**
	 * Returns a Reactor Netty client whose connections go to a vsock address.
	 * @param target the address to connect to
	 * @return the client
	 */
	public static HttpClient httpClient(VsockAddress target) {
		return httpClient(target, Loops.CONNECTIONS);
	}

	/**
	 * Returns a Reactor Netty client whose connections go to a vsock address, pooled by a
	 * connection provider of your own: for other pool sizes or lifetimes than the shared pool's (a
	 * connection idle for a minute is closed), or to close a peer's connections at once with
	 * {@link ConnectionProvider#disposeWhen(java.net.SocketAddress) disposeWhen(target)}.
	 * @param target the address to connect to
	 * @param connections the connection provider
	 * @return the client
	 */
	public static HttpClient httpClient(VsockAddress target, ConnectionProvider connections) {
		// Reactor Netty retries once on a connection reset by rebuilding the request URI from the
		// remote address, which it can only do for IP addresses: for a vsock address that retry
		// throws "Only support InetSocketAddress representation" and hides the real error (and a
		// connect to a vsock port nobody listens on is reset). Connect retries are ours to do
		// (VsockClientSettings).
		return HttpClient.create(connections)
			.runOn(Loops.INSTANCE, false)
			.remoteAddress(() -> target)
			.disableRetry(true)
			.doOnChannelInit((observer, channel, address) -> {
				if (channel.pipeline().get(NettyPipeline.ReactiveBridge) != null) {
					channel.pipeline()
						.addBefore(NettyPipeline.ReactiveBridge, Http11RequestVersion.NAME, Http11RequestVersion.INSTANCE);
				}
			});
	}

	/**
	 * Returns a Reactor Netty client whose connections go to a vsock address, with timeouts and
	 * connect retries.
	 * @param target the address to connect to
	 * @param settings the timeouts and retries
	 * @return the client
	 */
	public static HttpClient httpClient(VsockAddress target, VsockClientSettings settings) {
		return settings.applyTo(httpClient(target));
	}

	/**
	 * Returns a {@link WebClient} whose requests go to a vsock address; use relative URIs.
	 * @param cid the CID to call: 1 for this machine, 2 for the host, a guest's CID
	 * @param port the port
	 * @return the client
	 */
	public static WebClient webClient(long cid, long port) {
		return webClient(cid, port, VsockClientSettings.defaults());
	}

	/**
	 * Returns a {@link WebClient} whose requests go to a vsock address, with timeouts and connect
	 * retries; use relative URIs.
	 * @param cid the CID to call: 1 for this machine, 2 for the host, a guest's CID
	 * @param port the port
	 * @param settings the timeouts and retries
	 * @return the client
	 */
	public static WebClient webClient(long cid, long port, VsockClientSettings settings) {
		return WebClient.builder().clientConnector(connector(VsockAddress.of(cid, port), settings)).build();
	}

	/**
	 * Returns a {@link RestClient} whose requests go to a vsock address; use relative URIs. It
	 * runs on Reactor Netty's client, through Spring's {@link ReactorClientHttpRequestFactory}.
	 * @param cid the CID to call: 1 for this machine, 2 for the host, a guest's CID
	 * @param port the port
	 * @return the client
	 */
	public static RestClient restClient(long cid, long port) {
		return restClient(cid, port, VsockClientSettings.defaults());
	}

	/**
	 * Returns a {@link RestClient} whose requests go to a vsock address, with timeouts and connect
	 * retries; use relative URIs.
	 * @param cid the CID to call: 1 for this machine, 2 for the host, a guest's CID
	 * @param port the port
	 * @param settings the timeouts and retries
	 * @return the client
	 */
	public static RestClient restClient(long cid, long port, VsockClientSettings settings) {
		return RestClient.builder().requestFactory(requestFactory(VsockAddress.of(cid, port), settings)).build();
	}

	/**
	 * Returns the connector of a {@code WebClient} to a vsock address, with the settings' request
	 * retries.
	 */
	static ClientHttpConnector connector(VsockAddress target, VsockClientSettings settings) {
		ClientHttpConnector connector = new ReactorClientHttpConnector(httpClient(target, settings));
		return (settings.requestAttempts() > 1) ? new RetryingClientHttpConnector(connector, settings.requestAttempts())
				: connector;
	}

	/**
	 * Returns the request factory of a {@code RestClient} to a vsock address, with the settings'
	 * request retries.
	 */
	static ClientHttpRequestFactory requestFactory(VsockAddress target, VsockClientSettings settings) {
		ClientHttpRequestFactory factory = new ReactorClientHttpRequestFactory(httpClient(target, settings));
		return (settings.requestAttempts() > 1)
				? new RetryingClientHttpRequestFactory(factory, settings.requestAttempts()) : factory;
	}

	/**
	 * Returns a {@link WebClient} that calls {@code vsock://<cid>:<port>/path} URIs over vsock and
	 * {@code http}/{@code https} URIs as usual.
	 * @return the client
	 */
	public static WebClient webClient() {
		return WebClient.builder().clientConnector(new VsockClientHttpConnector(new ReactorClientHttpConnector())).build();
	}

	/**
	 * Returns a {@link RestClient} that calls {@code vsock://<cid>:<port>/path} URIs over vsock and
	 * {@code http}/{@code https} URIs as usual.
	 * @return the client
	 */
	public static RestClient restClient() {
		return RestClient.builder()
			.requestFactory(new VsockClientHttpRequestFactory(new ReactorClientHttpRequestFactory()))
			.build();
	}

	/**
	 * The event loops shared by every vsock client, created on first use.
	 */
	private static final class Loops {

		static final LoopResources INSTANCE = new VsockLoopResources("vsock-client",
				Math.max(1, LoopResources.DEFAULT_IO_WORKER_COUNT / 2));

		/**
		 * The connection pools of the vsock clients, one per target: a connection idle for a
		 * minute is closed, and a pool without connections for a minute is let go, so that a
		 * host that calls one short-lived VM after another does not keep a pool for each.
		 */
		static final ConnectionProvider CONNECTIONS = ConnectionProvider.builder("vsock")
			.maxIdleTime(Duration.ofMinutes(1))
			.evictInBackground(Duration.ofSeconds(30))
			.disposeInactivePoolsInBackground(Duration.ofSeconds(30), Duration.ofMinutes(1))
			.build();

	}

}
