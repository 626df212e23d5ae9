package dev.vsock.boot.systemd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import io.netty.channel.ChannelException;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.LinuxSocket;
import org.jspecify.annotations.Nullable;

import org.springframework.core.env.PropertyResolver;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.netty.InheritedVsockListenerSocket;
import dev.vsock.boot.netty.VsockNative;

/**
 * The sockets the service manager passed to this process, by systemd's socket activation
 * protocol: {@code LISTEN_PID} names this process, {@code LISTEN_FDS} says how many file
 * descriptors follow stderr (3, 4, ...), {@code LISTEN_FDNAMES} names them
 * ({@code FileDescriptorName=} of the {@code .socket} unit). A vsock listener serves on the
 * listening AF_VSOCK socket it names, or on the one bound to its port, instead of binding; each is
 * served once in the process. The sockets it does not take are left as they are.
 */
public final class InheritedSockets {

	/** The first file descriptor a service manager passes: the one after stderr. */
	public static final int FIRST_FD = 3;

	private static final int SOL_SOCKET = 1;

	private static final int SO_TYPE = 3;

	private static final int SO_ACCEPTCONN = 30;

	private static final int SO_DOMAIN = 39;

	private static final int AF_VSOCK = 40;

	private static final int SOCK_STREAM = 1;

	private static final int O_NONBLOCK = 04000;

	private static final InheritedSockets NONE = new InheritedSockets(List.of());

	/**
	 * The descriptors a server serves on: each once in the process, whichever context serves it,
	 * until that server closes it (and the number may be reused).
	 */
	private static final Set<Integer> taken = ConcurrentHashMap.newKeySet();

	private final List<Passed> passed;

	private InheritedSockets(List<Passed> passed) {
		this.passed = List.copyOf(passed);
	}

	/**
	 * Returns no sockets: socket activation is off.
	 * @return the empty set
	 */
	public static InheritedSockets none() {
		return NONE;
	}

	/**
	 * Reads what the service manager passed to this process from its environment.
	 * @param environment where {@code LISTEN_PID}, {@code LISTEN_FDS} and {@code LISTEN_FDNAMES}
	 * are read (the process's environment variables, in a Spring application)
	 * @return the sockets, none when the variables are not set or name another process
	 * @throws IllegalStateException when the variables are not what the protocol says
	 */
	public static InheritedSockets from(PropertyResolver environment) {
		return from(environment, ProcessHandle.current().pid());
	}

	/**
	 * Reads what the service manager passed to this process, when socket activation is on.
	 * @param environment where the protocol's variables are read
	 * @param enabled whether socket activation is on ({@code server.vsock.socket-activation})
	 * @return the sockets, none when it is off
	 */
	public static InheritedSockets from(PropertyResolver environment, boolean enabled) {
		return enabled ? from(environment) : NONE;
	}

	static InheritedSockets from(PropertyResolver environment, long pid) {
		String pidText = environment.getProperty("LISTEN_PID");
		String countText = environment.getProperty("LISTEN_FDS");
		if (pidText == null || countText == null) {
			return NONE;
		}
		long listenPid;
		int count;
		try {
			listenPid = Long.parseLong(pidText.strip());
			count = Integer.parseInt(countText.strip());
		}
		catch (NumberFormatException ex) {
			throw new IllegalStateException("Invalid LISTEN_PID '" + pidText + "' or LISTEN_FDS '" + countText
					+ "': socket activation passes the process id and the number of sockets", ex);
		}
		if (listenPid != pid || count <= 0) {
			// Meant for another process, the shell that started this one, say.
			return NONE;
		}
		String namesText = environment.getProperty("LISTEN_FDNAMES");
		String[] names = (namesText != null) ? namesText.split(":", -1) : new String[0];
		List<Passed> passed = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			passed.add(new Passed(FIRST_FD + i, (names.length == count) ? names[i] : "unknown"));
		}
		return new InheritedSockets(passed);
	}

	/**
	 * Returns the file descriptors the service manager passed.
	 * @return the passed descriptors, in order
	 */
	public List<Passed> passed() {
		return this.passed;
	}

	/**
	 * Takes the listening vsock socket a listener serves on: the one with the given name, or else
	 * the one bound to the configured port (and CID, unless that is any).
	 * @param configured the listener's configured address; port 0 takes the named socket's port
	 * @param name the socket's name in {@code LISTEN_FDNAMES}, or {@code null} to match by port
	 * @param bufferSize the receive buffer of its connections, {@code null} for the kernel's
	 * @return the socket, or {@code null} when none was passed for this listener
	 * @throws IllegalStateException when the named socket was not passed or cannot be served on,
	 * saying what to change
	 */
	public synchronized @Nullable InheritedVsockListenerSocket take(VsockAddress configured, @Nullable String name,
			@Nullable Long bufferSize) {
		if (name != null) {
			Passed named = this.passed.stream()
				.filter((passed) -> passed.name().equals(name))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("No socket named '" + name
						+ "' was passed by the service manager (" + describe() + "): set FileDescriptorName=" + name
						+ " in its .socket unit, or name one of those"));
			Inspection inspection = inspect(named);
			VsockAddress address = inspection.address;
			if (address == null) {
				throw new IllegalStateException("The socket named '" + name + "' (fd " + named.fd()
						+ ") that the service manager passed is " + inspection.description
						+ ", not a listening AF_VSOCK stream socket: give its .socket unit ListenStream=vsock::PORT");
			}
			if (!configured.isAnyPort() && address.port() != configured.port()) {
				throw new IllegalStateException("The socket named '" + name + "' (fd " + named.fd()
						+ ") listens on vsock port " + address.port() + ", but this listener is configured for port "
						+ configured.port() + ": configure port " + address.port() + ", or 0 to take the socket's port");
			}
			return take(named, address, bufferSize);
		}
		if (configured.isAnyPort()) {
			return null;
		}
		for (Passed passed : this.passed) {
			if (taken.contains(passed.fd())) {
				continue;
			}
			VsockAddress address = inspect(passed).address;
			if (address != null && address.port() == configured.port()
					&& (configured.isAnyCid() || address.cid() == configured.cid())) {
				return take(passed, address, bufferSize);
			}
		}
		return null;
	}

	private InheritedVsockListenerSocket take(Passed passed, VsockAddress address, @Nullable Long bufferSize) {
		if (!taken.add(passed.fd())) {
			throw new IllegalStateException("The socket " + passed + " that the service manager passed is served"
					+ " already: give each vsock listener a socket of its own");
		}
		if (!isNonBlocking(passed.fd()) && !NonBlockingMode.set(passed.fd())) {
			taken.remove(passed.fd());
			throw new IllegalStateException("The vsock socket " + passed + " (port " + address.port()
					+ ") that the service manager passed is in blocking mode, which the server cannot serve on:"
					+ " add NonBlocking=yes to the [Service] section of the unit, or run on Java 22 or later, where"
					+ " the starter switches it itself");
		}
		return new InheritedVsockListenerSocket(LinuxSocket.newSocket(passed.fd()), address, passed.toString(),
				bufferSize)
			.onClose(() -> taken.remove(passed.fd()));
	}

	private static Inspection inspect(Passed passed) {
		Epoll.ensureAvailability();
		try {
			// A view of the descriptor, never closed here: the sockets not taken stay as they are.
			// Making it asks the kernel for the socket's address, which fails for other files.
			LinuxSocket socket = LinuxSocket.newSocket(passed.fd());
			int domain = socket.getIntOpt(SOL_SOCKET, SO_DOMAIN);
			int type = socket.getIntOpt(SOL_SOCKET, SO_TYPE);
			boolean listening = socket.getIntOpt(SOL_SOCKET, SO_ACCEPTCONN) == 1;
			if (domain != AF_VSOCK) {
				return new Inspection(null, "a socket of address family " + domain + ", not AF_VSOCK (40)");
			}
			if (type != SOCK_STREAM || !listening) {
				return new Inspection(null, (type != SOCK_STREAM) ? "a vsock socket of type " + type + ", not a stream"
						: "a vsock stream socket that does not listen");
			}
			VsockAddress address = VsockNative.localAddress(socket);
			return new Inspection(address, "a listening vsock socket");
		}
		catch (IOException | ChannelException ex) {
			return new Inspection(null, "not a socket (" + ex.getMessage() + ")");
		}
	}

	private static boolean isNonBlocking(int fd) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
				if (line.startsWith("flags:")) {
					return (Integer.parseInt(line.substring("flags:".length()).strip(), 8) & O_NONBLOCK) != 0;
				}
			}
		}
		catch (IOException | NumberFormatException ex) {
			// Unknown: try to set it.
		}
		return false;
	}

	private String describe() {
		return this.passed.isEmpty() ? "none"
				: "LISTEN_FDNAMES " + this.passed.stream().map(Passed::name).collect(Collectors.joining(":"));
	}

	/**
	 * A file descriptor the service manager passed.
	 *
	 * @param fd the file descriptor
	 * @param name its name in {@code LISTEN_FDNAMES}, {@code unknown} when none was given
	 */
	public record Passed(int fd, String name) {

		@Override
		public String toString() {
			return "fd " + this.fd + " '" + this.name + "'";
		}

	}

	private record Inspection(@Nullable VsockAddress address, String description) {
	}

}
