package dev.vsock.boot.testsupport;

import java.io.IOException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.LinuxSocket;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.netty.VsockNative;
import dev.vsock.boot.systemd.InheritedSockets;

/**
 * A listening vsock socket a test passes to its application the way systemd's socket activation
 * does, by {@code LISTEN_PID}, {@code LISTEN_FDS} and {@code LISTEN_FDNAMES} (binding and
 * listening only: safe on the build machine). systemd's sockets start at fd 3; this one is
 * wherever the JVM put it, so the descriptors before it are passed too, named {@code jvm}: the
 * JVM's own files and sockets, which the servers must leave alone.
 */
public final class PassedVsockSocket implements AutoCloseable {

	private final LinuxSocket socket;

	private final long port;

	private boolean served;

	private PassedVsockSocket(LinuxSocket socket, long port) {
		this.socket = socket;
		this.port = port;
	}

	/**
	 * Opens a socket listening on a port the kernel picks, on any CID.
	 * @return the socket
	 * @throws IOException if it cannot listen
	 */
	public static PassedVsockSocket listen() throws IOException {
		Epoll.ensureAvailability();
		LinuxSocket socket = LinuxSocket.newVSockStream();
		VsockNative.bind(socket, VsockAddress.of(VsockAddress.CID_ANY, 0));
		socket.listen(16);
		return new PassedVsockSocket(socket, VsockNative.localAddress(socket).port());
	}

	/**
	 * Returns the port it listens on.
	 * @return the port
	 */
	public long port() {
		return this.port;
	}

	/**
	 * Returns its file descriptor.
	 * @return the descriptor
	 */
	public int fd() {
		return this.socket.intValue();
	}

	/**
	 * Returns what systemd sets for this process: fds 3 to this socket's, the last one named.
	 * @param name this socket's name
	 * @return the variables, as {@code NAME=value} properties
	 */
	public String[] environment(String name) {
		int fd = fd();
		String names = IntStream.range(InheritedSockets.FIRST_FD, fd)
			.mapToObj((other) -> "jvm")
			.collect(Collectors.joining(":"));
		return new String[] { "LISTEN_PID=" + ProcessHandle.current().pid(),
				"LISTEN_FDS=" + (fd - InheritedSockets.FIRST_FD + 1),
				"LISTEN_FDNAMES=" + (names.isEmpty() ? name : names + ":" + name) };
	}

	/**
	 * Records that a server served on the socket: it closes it, and its number may be another
	 * file's afterwards.
	 */
	public void served() {
		this.served = true;
	}

	@Override
	public void close() throws IOException {
		if (!this.served) {
			this.socket.close();
		}
	}

}
