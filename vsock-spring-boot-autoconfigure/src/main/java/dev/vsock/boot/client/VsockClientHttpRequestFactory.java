package dev.vsock.boot.client;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ReactorClientHttpRequestFactory;

import dev.vsock.boot.VsockAddress;

/**
 * A {@link ClientHttpRequestFactory} for {@code RestClient} and {@code RestTemplate} that sends
 * requests to {@code vsock://<cid>:<port>/path} URIs over vsock and every other request to the
 * factory it wraps.
 */
public class VsockClientHttpRequestFactory implements ClientHttpRequestFactory {

	private final ClientHttpRequestFactory others;

	private final VsockClientSettings settings;

	private final Map<VsockAddress, ClientHttpRequestFactory> targets = new ConcurrentHashMap<>();

	/**
	 * Creates a factory that sends what is not vsock to the given factory.
	 * @param others the factory for {@code http} and {@code https} URIs
	 */
	public VsockClientHttpRequestFactory(ClientHttpRequestFactory others) {
		this(others, VsockClientSettings.defaults());
	}

	/**
	 * Creates a factory that sends what is not vsock to the given factory, and applies timeouts
	 * and connect retries to its vsock connections.
	 * @param others the factory for {@code http} and {@code https} URIs
	 * @param settings the timeouts and retries for vsock connections
	 */
	public VsockClientHttpRequestFactory(ClientHttpRequestFactory others, VsockClientSettings settings) {
		this.others = others;
		this.settings = settings;
	}

	@Override
	public ClientHttpRequest createRequest(URI uri, HttpMethod httpMethod) throws IOException {
		if (!VsockUris.isVsock(uri)) {
			return this.others.createRequest(uri, httpMethod);
		}
		VsockAddress target = VsockUris.target(uri);
		ClientHttpRequestFactory factory = this.targets.computeIfAbsent(target,
				(address) -> new ReactorClientHttpRequestFactory(VsockClients.httpClient(address, this.settings)));
		return factory.createRequest(VsockUris.toRequestUri(uri), httpMethod);
	}

}
