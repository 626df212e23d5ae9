package dev.vsock.boot.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.channel.EventLoopGroup;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.bench.Results.IdleResult;

/**
 * Many idle keep-alive connections held by one server, over vsock or TCP: a server in its own JVM
 * reports its heap after a full collection, its direct memory and its resident set before and
 * after it holds the connections, each of which served one request; the guest kernel's slab total
 * is read around the same span; at the end every connection is asked once more, so that the
 * count of answered ones says they were all held.
 */
final class IdleConnectionBenchmark {

	private static final Pattern MEMORY = Pattern
		.compile("\\{\"heap\":(\\d+),\"direct\":(\\d+),\"rss\":(-?\\d+)}");

	private final EventLoopGroup group;

	private final int connections;

	IdleConnectionBenchmark(EventLoopGroup group, int connections) {
		this.group = group;
		this.connections = connections;
	}

	IdleResult run(String serverKind, String transport) throws Exception {
		Process server = startServer(serverKind, transport);
		List<RawHttpConnection> open = new ArrayList<>();
		try {
			long port = readPort(server);
			SocketAddress target = "tcp".equals(transport)
					? new InetSocketAddress(InetAddress.getLoopbackAddress(), Math.toIntExact(port))
					: VsockAddress.of(VsockAddress.CID_LOCAL, port);
			try (RawHttpConnection probe = RawHttpConnection.open(this.group, target)) {
				// Warm the accept and request paths, so that the "before" figure has their classes.
				for (int i = 0; i < 20; i++) {
					try (RawHttpConnection warm = RawHttpConnection.open(this.group, target)) {
						warm.get(Endpoints.JSON);
					}
				}
				Matcher before = memory(probe);
				long slabBefore = slabBytes();
				long started = System.nanoTime();
				for (int i = 0; i < this.connections; i++) {
					RawHttpConnection connection = RawHttpConnection.open(this.group, target);
					open.add(connection);
					connection.get(Endpoints.JSON);
				}
				double openSeconds = (System.nanoTime() - started) / 1e9;
				long slabAfter = slabBytes();
				Matcher after = memory(probe);
				// Held means still open and still answering: each is asked once more.
				int answered = 0;
				for (RawHttpConnection connection : open) {
					try {
						connection.get(Endpoints.JSON);
						answered++;
					}
					catch (Exception ex) {
						// Counted as not answered; the page shows the count.
					}
				}
				return new IdleResult(serverKind, transport, this.connections, answered, Long.parseLong(before.group(1)),
						Long.parseLong(after.group(1)), Long.parseLong(before.group(2)), Long.parseLong(after.group(2)),
						Long.parseLong(before.group(3)), Long.parseLong(after.group(3)), slabBefore, slabAfter, openSeconds);
			}
		}
		finally {
			open.forEach(RawHttpConnection::close);
			server.getOutputStream().close();
			server.waitFor();
		}
	}

	private static Matcher memory(RawHttpConnection probe) throws Exception {
		String body = probe.get(Endpoints.MEMORY);
		Matcher matcher = MEMORY.matcher(body);
		if (!matcher.matches()) {
			throw new IllegalStateException("Expected {\"heap\":N,\"direct\":N,\"rss\":N} from " + Endpoints.MEMORY + " but got " + body);
		}
		return matcher;
	}

	private static Process startServer(String serverKind, String transport) throws IOException {
		String java = ProcessHandle.current().info().command().orElse("java");
		return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-cp",
				System.getProperty("java.class.path"), IdleServer.class.getName(), serverKind, transport)
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
	}

	private static long readPort(Process server) throws IOException {
		BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
		for (String line = lines.readLine(); line != null; line = lines.readLine()) {
			if (line.startsWith("PORT ")) {
				// Whatever the server prints later must not fill the pipe and stall it.
				Thread drain = new Thread(() -> lines.lines().forEach((ignored) -> {
				}), "idle-server-output");
				drain.setDaemon(true);
				drain.start();
				return Long.parseLong(line.substring(5).trim());
			}
		}
		throw new IllegalStateException("The idle server exited before it printed its port");
	}

	/** The kernel's slab total: where socket buffers and socket structures live. */
	private static long slabBytes() throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
			if (line.startsWith("Slab:")) {
				return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
			}
		}
		return -1;
	}

}
