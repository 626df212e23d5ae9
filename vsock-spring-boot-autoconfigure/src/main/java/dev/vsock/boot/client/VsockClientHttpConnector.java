package dev.vsock.boot.client;

import java.net.URI;
import java.util.function.Function;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.http.client.reactive.ClientHttpResponse;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;


/**
 * A {@link ClientHttpConnector} for {@code WebClient} that sends requests to
 * {@code vsock://<cid>:<port>/path} URIs over vsock and every other request to the connector it
 * wraps, so that one {@code WebClient} calls vsock and TCP services alike.
 */
public class VsockClientHttpConnector implements ClientHttpConnector {

	private final ClientHttpConnector others;

	private final VsockTargets<ClientHttpConnector> targets;

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
		this.targets = new VsockTargets<>((address) -> VsockClients.connector(address, settings));
	}

	@Override
	public Mono<ClientHttpResponse> connect(HttpMethod method, URI uri,
			Function<? super ClientHttpRequest, Mono<Void>> requestCallback) {
		if (!VsockUris.isVsock(uri)) {
			return this.others.connect(method, uri, requestCallback);
		}
		return this.targets.get(VsockUris.target(uri)).connect(method, VsockUris.toRequestUri(uri), requestCallback);
	}

	/**
	 * Returns how many vsock targets this client keeps something for.
	 * @return the number of targets
	 */
	int targetCount() {
		return this.targets.size();
	}

}
