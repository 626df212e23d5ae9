package dev.vsock.boot.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;

import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;

import reactor.netty.http.HttpResources;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
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
 * @param pool the connection pool the client draws from
 * @param channels every connection the client opened and has not closed
 */
record HttpTarget(String server, String transport, HttpClient client, SocketAddress address, ConnectionProvider pool,
		ChannelGroup channels) {

	static final String VSOCK_BUFFERS = "vsock-buffers";

	/**
	 * The pool of every vsock client here, the starter's settings but for the pool: the starter's
	 * shared pool cannot be emptied after a cell, and its idle connections (through the relay, a
	 * forked socat each) would live on for a minute into the turns after.
	 */
	private static final ConnectionProvider VSOCK_POOL = ConnectionProvider.create("bench-vsock");

	/**
	 * The TCP client's event loops: as many epoll threads as the project's vsock client has
	 * ({@code VsockClients}), so that both clients get the same resources.
	 */
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
		return of(server.kind(), VSOCK_BUFFERS, VsockClientSettings.defaults()
			.withBufferSize(bufferSize)
			.applyTo(VsockClients.httpClient(address, VSOCK_POOL)), address, VSOCK_POOL);
	}

	static HttpTarget socat(BenchServer server, SocatRelay relay) {
		return overVsock(server.kind(), "socat", relay.vsockPort());
	}

	static HttpTarget tcp(BenchServer server) {
		InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.tcpPort());
		// The settings VsockClients.httpClient applies, but for the address and its loops.
		HttpClient client = HttpClient.create().runOn(TCP_LOOPS, true).remoteAddress(() -> address).disableRetry(true);
		return of(server.kind(), "tcp", client, address, HttpResources.get());
	}

	private static HttpTarget overVsock(String server, String transport, long port) {
		VsockAddress address = VsockAddress.of(VsockAddress.CID_LOCAL, port);
		return of(server, transport, VsockClients.httpClient(address, VSOCK_POOL), address, VSOCK_POOL);
	}

	private static HttpTarget of(String server, String transport, HttpClient client, SocketAddress address,
			ConnectionProvider pool) {
		ChannelGroup channels = new DefaultChannelGroup(name(server, transport), GlobalEventExecutor.INSTANCE);
		return new HttpTarget(server, transport, client.doOnConnected((connection) -> channels.add(connection.channel())),
				address, pool, channels);
	}

	/**
	 * Closes every connection to this target, so that the next cell opens exactly as many as it
	 * runs with, and no connection of this cell stays open into the turns after: the pool's, and
	 * any the pool no longer holds (in the trial of 3 December one connection of a cell whose last
	 * requests were cancelled stayed open after its pool was emptied, and Tomcat kept it for its
	 * keep-alive timeout).
	 * @return how many connections were still open after the pool was emptied, and closed here
	 */
	int closeConnections() {
		this.pool.disposeWhen(this.address);
		this.channels.newCloseFuture().awaitUninterruptibly(Duration.ofSeconds(1).toMillis());
		int left = this.channels.size();
		this.channels.close().awaitUninterruptibly(Duration.ofSeconds(30).toMillis());
		return left;
	}

	String name() {
		return name(this.server, this.transport);
	}

	private static String name(String server, String transport) {
		return server + " over " + transport;
	}

}
