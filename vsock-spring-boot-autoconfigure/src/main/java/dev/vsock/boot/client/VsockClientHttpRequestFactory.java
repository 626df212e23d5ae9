package dev.vsock.boot.client;

import java.io.IOException;
import java.net.URI;

import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ReactorClientHttpRequestFactory;


/**
 * A {@link ClientHttpRequestFactory} for {@code RestClient} and {@code RestTemplate} that sends
 * requests to {@code vsock://<cid>:<port>/path} URIs over vsock and every other request to the
 * factory it wraps.
 */
public class VsockClientHttpRequestFactory implements ClientHttpRequestFactory {

	private final ClientHttpRequestFactory others;

	private final VsockTargets<ClientHttpRequestFactory> targets;

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
		this.targets = new VsockTargets<>((address) -> VsockClients.requestFactory(address, settings));
	}

	@Override
	public ClientHttpRequest createRequest(URI uri, HttpMethod httpMethod) throws IOException {
		if (!VsockUris.isVsock(uri)) {
			return this.others.createRequest(uri, httpMethod);
		}
		return this.targets.get(VsockUris.target(uri)).createRequest(VsockUris.toRequestUri(uri), httpMethod);
	}

	/**
	 * Returns how many vsock targets this client keeps something for.
	 * @return the number of targets
	 */
	int targetCount() {
		return this.targets.size();
	}

}
