package dev.vsock.boot.test;

import java.time.Duration;
import java.util.function.BiFunction;

import org.reactivestreams.Publisher;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.reactor.VsockLoopResources;

/**
 * A small HTTP server on vsock for a test: a stand-in for the service your application calls
 * (a guest agent, an enclave, the host), on Reactor Netty over the starter's native vsock channel,
 * on a port the kernel picks.
 *
 * <pre class="code">
 * try (VsockTestServer agent = VsockTestServer.start((request, response) -&gt; response.sendString(Mono.just("up")))) {
 *     String status = VsockClients.restClient(VsockAddress.CID_LOCAL, agent.port()).get().uri("/status")
 *         .retrieve().body(String.class);
 * }
 * </pre>
 *
 * Binding and listening work on any Linux machine with AF_VSOCK; calling the server needs a
 * transport that reaches it ({@code vsock_loopback} for CID 1): guard such tests with
 * {@link dev.vsock.boot.test.junit.EnabledIfVsockTransport}.
 */
public final class VsockTestServer implements AutoCloseable {

	private final DisposableServer server;

	private final VsockLoopResources loops;

	private final VsockAddress address;

	private VsockTestServer(DisposableServer server, VsockLoopResources loops) {
		this.server = server;
		this.loops = loops;
		this.address = (VsockAddress) server.channel().localAddress();
	}

	/**
	 * Starts a server on every local CID and a port the kernel picks.
	 * @param handler what answers each request, as Reactor Netty's {@code HttpServer.handle} takes it
	 * @return the running server
	 */
	public static VsockTestServer start(
			BiFunction<? super HttpServerRequest, ? super HttpServerResponse, ? extends Publisher<Void>> handler) {
		return start(VsockAddress.of(VsockAddress.CID_ANY, VsockAddress.PORT_ANY), handler);
	}

	/**
	 * Starts a server on the given address.
	 * @param address the address to listen on; port {@link VsockAddress#PORT_ANY} lets the kernel pick
	 * @param handler what answers each request, as Reactor Netty's {@code HttpServer.handle} takes it
	 * @return the running server
	 */
	public static VsockTestServer start(VsockAddress address,
			BiFunction<? super HttpServerRequest, ? super HttpServerResponse, ? extends Publisher<Void>> handler) {
		VsockLoopResources loops = new VsockLoopResources("vsock-test-server", 1);
		try {
			DisposableServer server = HttpServer.create()
				.bindAddress(() -> address)
				.runOn(loops, false)
				.handle(handler)
				.bindNow(Duration.ofSeconds(30));
			return new VsockTestServer(server, loops);
		}
		catch (RuntimeException ex) {
			loops.dispose();
			throw ex;
		}
	}

	/**
	 * Returns the address the server listens on, with the port the kernel picked.
	 * @return the address
	 */
	public VsockAddress address() {
		return this.address;
	}

	/**
	 * Returns the port the server listens on.
	 * @return the port
	 */
	public long port() {
		return this.address.port();
	}

	/**
	 * Stops the server and its event loop.
	 */
	@Override
	public void close() {
		this.server.disposeNow(Duration.ofSeconds(30));
		this.loops.disposeLater().block(Duration.ofSeconds(30));
	}

}
