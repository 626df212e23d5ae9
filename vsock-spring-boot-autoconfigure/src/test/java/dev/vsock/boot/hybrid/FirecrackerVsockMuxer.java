package dev.vsock.boot.hybrid;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host-facing half of Firecracker's vsock device, written from Firecracker's
 * {@code docs/vsock.md}, for tests: it listens on {@code uds_path}, reads the line
 * {@code CONNECT <port>\n}, and, if the "guest" listens on that port, answers
 * {@code OK <host port>\n} (host ports counted up from 1073741824, as Firecracker's example shows)
 * and relays bytes both ways; if nothing listens, it closes the connection without a word. The
 * guest's listeners are Unix sockets here, found by a function of the port, since a test on the
 * build machine cannot connect over AF_VSOCK.
 */
final class FirecrackerVsockMuxer implements AutoCloseable {

	private static final Pattern CONNECT = Pattern.compile("CONNECT ([0-9]+)");

	private final ServerSocketChannel server;

	private final LongFunction<Path> guestListener;

	private final AtomicLong nextHostPort = new AtomicLong(1073741824L);

	private final List<String> commands = Collections.synchronizedList(new ArrayList<>());

	private final List<SocketChannel> open = Collections.synchronizedList(new ArrayList<>());

	private final Thread acceptor;

	FirecrackerVsockMuxer(Path udsPath, LongFunction<Path> guestListener) throws IOException {
		this.guestListener = guestListener;
		this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		this.server.bind(UnixDomainSocketAddress.of(udsPath));
		this.acceptor = daemon(this::accept);
	}

	/**
	 * Returns every command line the muxer has read, in order.
	 */
	List<String> commands() {
		synchronized (this.commands) {
			return List.copyOf(this.commands);
		}
	}

	private void accept() {
		while (this.server.isOpen()) {
			try {
				SocketChannel host = this.server.accept();
				this.open.add(host);
				daemon(() -> connect(host));
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void connect(SocketChannel host) {
		try {
			String line = readLine(host);
			this.commands.add(line);
			Matcher connect = CONNECT.matcher(line);
			Path listener = connect.matches() ? this.guestListener.apply(Long.parseLong(connect.group(1))) : null;
			if (listener == null || !Files.exists(listener)) {
				host.close();
				return;
			}
			SocketChannel guest = SocketChannel.open(UnixDomainSocketAddress.of(listener));
			this.open.add(guest);
			host.write(ByteBuffer.wrap(("OK " + this.nextHostPort.getAndIncrement() + "\n")
				.getBytes(StandardCharsets.US_ASCII)));
			daemon(() -> relay(guest, host));
			relay(host, guest);
		}
		catch (IOException ex) {
			closeQuietly(host);
		}
	}

	private static Thread daemon(Runnable task) {
		Thread thread = new Thread(task, "firecracker-muxer");
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	private static String readLine(SocketChannel channel) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		ByteBuffer one = ByteBuffer.allocate(1);
		while (line.size() < 64) {
			one.clear();
			if (channel.read(one) < 0) {
				break;
			}
			if (one.get(0) == '\n') {
				break;
			}
			line.write(one.get(0));
		}
		return line.toString(StandardCharsets.US_ASCII);
	}

	private static void relay(SocketChannel from, SocketChannel to) {
		ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
		try {
			while (from.read(buffer) >= 0) {
				buffer.flip();
				while (buffer.hasRemaining()) {
					to.write(buffer);
				}
				buffer.clear();
			}
		}
		catch (IOException ex) {
			// One side went away: close both, as the VMM does.
		}
		closeQuietly(from);
		closeQuietly(to);
	}

	private static void closeQuietly(SocketChannel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		synchronized (this.open) {
			this.open.forEach(FirecrackerVsockMuxer::closeQuietly);
		}
	}

}
