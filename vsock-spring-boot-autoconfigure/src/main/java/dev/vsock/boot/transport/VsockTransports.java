package dev.vsock.boot.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * What AF_VSOCK can do on this machine: whether the kernel has it, which transports
 * ({@link VsockTransport}) are usable, and the local CID, all found without ever connecting.
 *
 * <p>Read from {@code /sys/module}, {@code modules.builtin}, {@code /sys/bus/virtio} and
 * {@code /dev}; a module that is loaded is not yet a usable transport (virtio G2H needs a bound
 * virtio-vsock device). In a container without {@code /dev/vsock} the transports are still read
 * from {@code /sys}; sockets work there as long as the kernel has AF_VSOCK.
 */
public final class VsockTransports {

	private static final String VIRTIO_DRIVER = "sys/bus/virtio/drivers/vmw_vsock_virtio_transport";

	private final boolean afVsock;

	private final Map<VsockTransport, TransportStatus> transports;

	private final OptionalLong localCid;

	VsockTransports(boolean afVsock, Map<VsockTransport, TransportStatus> transports, OptionalLong localCid) {
		this.afVsock = afVsock;
		this.transports = Collections.unmodifiableMap(new EnumMap<>(transports));
		this.localCid = localCid;
	}

	/**
	 * Detects the transports of this machine.
	 * @return what was found
	 */
	public static VsockTransports detect() {
		return detect(Path.of("/"), LocalCid.read(Path.of("/dev/vsock")));
	}

	/**
	 * Detects the transports from a tree laid out like the root file system, for tests.
	 * @param root the directory that stands for {@code /}
	 * @param localCid the local CID, or empty when it cannot be read
	 * @return what was found
	 */
	public static VsockTransports detect(Path root, OptionalLong localCid) {
		Modules modules = new Modules(root);
		boolean afVsock = modules.has("vsock") || Files.exists(root.resolve("dev/vsock"));
		Map<VsockTransport, TransportStatus> transports = new EnumMap<>(VsockTransport.class);
		transports.put(VsockTransport.G2H, guestToHost(root, modules));
		transports.put(VsockTransport.H2G, hostToGuest(root, modules));
		transports.put(VsockTransport.LOOPBACK,
				modules.has("vsock_loopback") ? TransportStatus.available("loopback") : TransportStatus.ABSENT);
		return new VsockTransports(afVsock, transports, localCid);
	}

	private static TransportStatus guestToHost(Path root, Modules modules) {
		if (modules.has("vmw_vsock_virtio_transport")) {
			if (hasEntry(root.resolve(VIRTIO_DRIVER), "virtio")) {
				return TransportStatus.available("virtio");
			}
			if (!modules.has("hv_sock") && !modules.has("vmw_vsock_vmci_transport")) {
				return TransportStatus.unusable("virtio",
						"the virtio transport is loaded but no virtio-vsock device is bound to it");
			}
		}
		if (modules.has("hv_sock")) {
			return TransportStatus.available("hyperv");
		}
		if (modules.has("vmw_vsock_vmci_transport")) {
			return Files.exists(root.resolve("dev/vmci")) ? TransportStatus.available("vmci")
					: TransportStatus.unusable("vmci", "the VMCI transport is loaded but /dev/vmci is missing");
		}
		return TransportStatus.ABSENT;
	}

	private static TransportStatus hostToGuest(Path root, Modules modules) {
		if (modules.has("vhost_vsock")) {
			return Files.exists(root.resolve("dev/vhost-vsock")) ? TransportStatus.available("vhost")
					: TransportStatus.unusable("vhost", "vhost_vsock is loaded but /dev/vhost-vsock is missing");
		}
		return TransportStatus.ABSENT;
	}

	private static boolean hasEntry(Path directory, String prefix) {
		if (!Files.isDirectory(directory)) {
			return false;
		}
		try (Stream<Path> entries = Files.list(directory)) {
			return entries.anyMatch((entry) -> entry.getFileName().toString().startsWith(prefix));
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Returns whether the kernel has the AF_VSOCK address family.
	 * @return whether AF_VSOCK is there
	 */
	public boolean isAfVsockPresent() {
		return this.afVsock;
	}

	/**
	 * Returns whether a transport can carry traffic.
	 * @param transport the transport
	 * @return whether it is usable
	 */
	public boolean isAvailable(VsockTransport transport) {
		return this.transports.get(transport).available();
	}

	/**
	 * Returns the status of every transport, in the order g2h, h2g, loopback.
	 * @return the statuses
	 */
	public Map<VsockTransport, TransportStatus> transports() {
		return this.transports;
	}

	/**
	 * Returns the transports that can carry traffic.
	 * @return the usable transports
	 */
	public List<VsockTransport> available() {
		return this.transports.keySet().stream().filter(this::isAvailable).toList();
	}

	/**
	 * Returns the CID of this machine as the kernel reports it ({@code IOCTL_VM_SOCKETS_GET_LOCAL_CID}
	 * on {@code /dev/vsock}); empty when it cannot be read, for example on Java before 22 or
	 * without {@code /dev/vsock}.
	 * @return the local CID, if known
	 */
	public OptionalLong localCid() {
		return this.localCid;
	}

	/**
	 * Returns a one-line summary, for example
	 * {@code AF_VSOCK: g2h=virtio, h2g=absent, loopback=absent, local CID 3}.
	 */
	@Override
	public String toString() {
		if (!this.afVsock) {
			return "AF_VSOCK: not supported by this kernel";
		}
		StringBuilder summary = new StringBuilder("AF_VSOCK:");
		this.transports.forEach((transport, status) -> summary.append(' ')
			.append(transport.id())
			.append('=')
			.append(status.available() ? status.driver() : (status.driver() != null) ? status.driver() + " (unusable)" : "absent")
			.append(','));
		summary.append(" local CID ")
			.append(this.localCid.isPresent() ? Long.toString(this.localCid.getAsLong())
					: unknownLocalCid(Runtime.version().feature()));
		return summary.toString();
	}

	/**
	 * Says that the local CID is unknown, and why when it is the Java version: the ioctl that reads
	 * it is called through the FFM API, final in Java 22.
	 * @param javaFeature the running Java's feature version
	 * @return what the summary says
	 */
	static String unknownLocalCid(int javaFeature) {
		return (javaFeature < 22) ? "unknown (reading it needs Java 22 or later)" : "unknown";
	}

	/**
	 * Prints the summary of this machine.
	 * @param args ignored
	 */
	public static void main(String[] args) {
		System.out.println(detect());
	}

	/**
	 * The kernel modules of a root tree, loaded or built in.
	 */
	private static final class Modules {

		private final Path root;

		private final List<String> builtin;

		Modules(Path root) {
			this.root = root;
			this.builtin = readBuiltin(root);
		}

		boolean has(String name) {
			return Files.isDirectory(this.root.resolve("sys/module").resolve(name))
					|| this.builtin.stream().anyMatch((line) -> line.endsWith("/" + name + ".ko"));
		}

		private static List<String> readBuiltin(Path root) {
			try {
				String release = Files.readString(root.resolve("proc/sys/kernel/osrelease")).strip();
				Path builtin = root.resolve("lib/modules").resolve(release).resolve("modules.builtin");
				return Files.isRegularFile(builtin) ? Files.readAllLines(builtin) : List.of();
			}
			catch (IOException ex) {
				return List.of();
			}
		}

	}

}
