package dev.vsock.boot.hybrid;

import java.nio.file.Path;
import java.time.Duration;

import io.netty.channel.unix.DomainSocketAddress;
import reactor.netty.http.client.HttpClient;

import org.springframework.http.client.ReactorClientHttpRequestFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Clients for the host side of Firecracker's (and Cloud Hypervisor's) hybrid vsock: the guest's
 * vsock device is a Unix socket on the host ({@code uds_path}), and each connection to it starts
 * with {@code CONNECT <guest port>\n}, answered by {@code OK <host port>\n}
 * ({@link HybridVsockConnectHandler}); HTTP follows. Every request goes to the one guest port,
 * whatever host the request URI names: use relative URIs.
 *
 * <pre class="code">
 * RestClient agent = HybridVsockClients.restClient(Path.of("/run/firecracker/v.sock"), 5000);
 * String status = agent.get().uri("/status").retrieve().body(String.class);
 * </pre>
 */
public final class HybridVsockClients {

	/** How long to wait for the VMM's answer to {@code CONNECT}, unless told otherwise. */
	public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

	private HybridVsockClients() {
	}

	/**
	 * Returns a Reactor Netty client whose connections go to a guest's vsock port through the
	 * VMM's Unix socket.
	 * @param socketPath the Unix socket of the guest's vsock device ({@code uds_path})
	 * @param port the vsock port the guest listens on
	 * @return the client
	 */
	public static HttpClient httpClient(Path socketPath, long port) {
		return httpClient(socketPath, port, DEFAULT_CONNECT_TIMEOUT);
	}

	/**
	 * Returns a Reactor Netty client whose connections go to a guest's vsock port through the
	 * VMM's Unix socket.
	 * @param socketPath the Unix socket of the guest's vsock device ({@code uds_path})
	 * @param port the vsock port the guest listens on
	 * @param connectTimeout how long to wait for the VMM's {@code OK}
	 * @return the client
	 */
	public static HttpClient httpClient(Path socketPath, long port, Duration connectTimeout) {
		// Fails now, not on the first request, for a port that cannot be CONNECTed to.
		HybridVsockConnectHandler.checkGuestPort(port);
		DomainSocketAddress address = new DomainSocketAddress(socketPath.toString());
		return HttpClient.create()
			.remoteAddress(() -> address)
			.doOnChannelInit((observer, channel, remoteAddress) -> channel.pipeline()
				.addFirst(HybridVsockConnectHandler.NAME,
						new HybridVsockConnectHandler(socketPath, port, connectTimeout.toMillis())));
	}

	/**
	 * Returns a {@link WebClient} whose requests go to a guest's vsock port through the VMM's Unix
	 * socket; use relative URIs.
	 * @param socketPath the Unix socket of the guest's vsock device ({@code uds_path})
	 * @param port the vsock port the guest listens on
	 * @return the client
	 */
	public static WebClient webClient(Path socketPath, long port) {
		return WebClient.builder().clientConnector(new ReactorClientHttpConnector(httpClient(socketPath, port))).build();
	}

	/**
	 * Returns a {@link RestClient} whose requests go to a guest's vsock port through the VMM's Unix
	 * socket; use relative URIs.
	 * @param socketPath the Unix socket of the guest's vsock device ({@code uds_path})
	 * @param port the vsock port the guest listens on
	 * @return the client
	 */
	public static RestClient restClient(Path socketPath, long port) {
		return RestClient.builder()
			.requestFactory(new ReactorClientHttpRequestFactory(httpClient(socketPath, port)))
			.build();
	}

	/**
	 * Returns the path of the Unix socket on which the host listens for connections that the
	 * guest opens to the host (CID 2) on a port: {@code <uds_path>_<port>}.
	 * @param socketPath the Unix socket of the guest's vsock device ({@code uds_path})
	 * @param port the port the guest connects to
	 * @return the path to listen on
	 */
	public static Path hostListenerPath(Path socketPath, long port) {
		return Path.of(socketPath + "_" + port);
	}

}
