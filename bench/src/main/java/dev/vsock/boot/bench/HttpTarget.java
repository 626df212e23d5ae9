package dev.vsock.boot.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

import reactor.netty.http.HttpResources;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.LoopResources;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.client.VsockClientSettings;
import dev.vsock.boot.client.VsockClients;

/**
 * A server reached one way: natively over vsock, over TCP, or over vsock through the socat relay
 * to its TCP port; with the client that calls it.
 * @param server the server kind
 * @param transport {@code vsock}, {@code tcp}, {@code socat}, or {@code vsock-buffers} (vsock with
 * larger buffers on both ends)
 * @param client the load generator's client
 * @param address where the client connects, the key of its connection pool
 */
record HttpTarget(String server, String transport, HttpClient client, SocketAddress address) {

	/**
	 * The TCP client's event loops: as many epoll threads as the project's vsock client has
	 * ({@code VsockClients}), so that both clients get the same resources.
	 */
	static final String VSOCK_BUFFERS = "vsock-buffers";

	private static final LoopResources TCP_LOOPS = LoopResources.create("tcp-client",
			Math.max(1, LoopResources.DEFAULT_IO_WORKER_COUNT / 2), true);

	static HttpTarget vsock(BenchServer server) {
		return overVsock(server.kind(), "vsock", server.vsockPort());
	}

	/**
	 * The target that compares buffer sizes: vsock to a server whose listener sets its buffer size,
	 * from a client that sets the same on its sockets.
	 * @param server a server started with that buffer size
	 * @param bufferSize the client's buffer size in bytes
	 * @return the target
	 */
	static HttpTarget vsockWithBuffers(BenchServer server, long bufferSize) {
		VsockAddress address = VsockAddress.of(VsockAddress.CID_LOCAL, server.vsockPort());
		return new HttpTarget(server.kind(), VSOCK_BUFFERS, VsockClients.httpClient(address,
				VsockClientSettings.defaults().withBufferSize(bufferSize)), address);
	}

	static HttpTarget socat(BenchServer server, SocatRelay relay) {
		return overVsock(server.kind(), "socat", relay.vsockPort());
	}

	static HttpTarget tcp(BenchServer server) {
		InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.tcpPort());
		// The settings VsockClients.httpClient applies, but for the address and its loops.
		HttpClient client = HttpClient.create().runOn(TCP_LOOPS, true).remoteAddress(() -> address).disableRetry(true);
		return new HttpTarget(server.kind(), "tcp", client, address);
	}

	private static HttpTarget overVsock(String server, String transport, long port) {
		VsockAddress address = VsockAddress.of(VsockAddress.CID_LOCAL, port);
		return new HttpTarget(server, transport, VsockClients.httpClient(address), address);
	}

	/**
	 * Closes the pooled connections to this target, so that the next cell opens exactly as many
	 * as it runs with.
	 */
	void closeConnections() {
		HttpResources.get().disposeWhen(this.address);
	}

	String name() {
		return this.server + " over " + this.transport;
	}

}
