package dev.vsock.boot.client;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.http.client.reactive.ClientHttpResponse;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;

import dev.vsock.boot.VsockAddress;

/**
 * A {@link ClientHttpConnector} for {@code WebClient} that sends requests to
 * {@code vsock://<cid>:<port>/path} URIs over vsock and every other request to the connector it
 * wraps, so that one {@code WebClient} calls vsock and TCP services alike.
 */
public class VsockClientHttpConnector implements ClientHttpConnector {

	private final ClientHttpConnector others;

	private final VsockClientSettings settings;

	private final Map<VsockAddress, ClientHttpConnector> targets = new ConcurrentHashMap<>();

	/**
	 * Creates a connector that sends what is not vsock to the given connector.
	 * @param others the connector for {@code http} and {@code https} URIs
	 */
	public VsockClientHttpConnector(ClientHttpConnector others) {
		this(others, VsockClientSettings.defaults());
	}

	/**
	 * Creates a connector that sends what is not vsock to the given connector, and applies
	 * timeouts and connect retries to its vsock connections.
	 * @param others the connector for {@code http} and {@code https} URIs
	 * @param settings the timeouts and retries for vsock connections
	 */
	public VsockClientHttpConnector(ClientHttpConnector others, VsockClientSettings settings) {
		this.others = others;
		this.settings = settings;
	}

	@Override
	public Mono<ClientHttpResponse> connect(HttpMethod method, URI uri,
			Function<? super ClientHttpRequest, Mono<Void>> requestCallback) {
		if (!VsockUris.isVsock(uri)) {
			return this.others.connect(method, uri, requestCallback);
		}
		VsockAddress target = VsockUris.target(uri);
		ClientHttpConnector connector = this.targets.computeIfAbsent(target,
				(address) -> new ReactorClientHttpConnector(VsockClients.httpClient(address, this.settings)));
		return connector.connect(method, VsockUris.toRequestUri(uri), requestCallback);
	}

}
