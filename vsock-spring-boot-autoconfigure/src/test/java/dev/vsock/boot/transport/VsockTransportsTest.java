package dev.vsock.boot.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Detection against fake /sys, /dev and /lib/modules trees.
 */
class VsockTransportsTest {

	@TempDir
	Path root;

	@Test
	void guestWithABoundVirtioDevice() throws IOException {
		modules("vsock", "vmw_vsock_virtio_transport", "vmw_vsock_virtio_transport_common");
		directory("sys/bus/virtio/drivers/vmw_vsock_virtio_transport/virtio3");
		file("dev/vsock");
		VsockTransports transports = VsockTransports.detect(this.root, OptionalLong.of(3));
		assertThat(transports.isAfVsockPresent()).isTrue();
		assertThat(transports.available()).containsExactly(VsockTransport.G2H);
		assertThat(transports.transports().get(VsockTransport.G2H)).isEqualTo(TransportStatus.available("virtio"));
		assertThat(transports).hasToString("AF_VSOCK: g2h=virtio, h2g=absent, loopback=absent, local CID 3");
	}

	@Test
	void virtioTransportLoadedWithoutADeviceIsNotUsable() throws IOException {
		modules("vsock", "vmw_vsock_virtio_transport");
		directory("sys/bus/virtio/drivers/vmw_vsock_virtio_transport");
		TransportStatus g2h = VsockTransports.detect(this.root, OptionalLong.empty())
			.transports()
			.get(VsockTransport.G2H);
		assertThat(g2h.available()).isFalse();
		assertThat(g2h.driver()).isEqualTo("virtio");
		assertThat(g2h.detail()).contains("no virtio-vsock device");
	}

	@Test
	void hostOfGuestsWithLoopback() throws IOException {
		modules("vsock", "vsock_loopback", "vhost_vsock", "vmw_vsock_virtio_transport");
		file("dev/vsock");
		file("dev/vhost-vsock");
		VsockTransports transports = VsockTransports.detect(this.root, OptionalLong.of(2));
		assertThat(transports.available()).containsExactly(VsockTransport.H2G, VsockTransport.LOOPBACK);
		assertThat(transports.transports().get(VsockTransport.H2G).driver()).isEqualTo("vhost");
		assertThat(transports)
			.hasToString("AF_VSOCK: g2h=virtio (unusable), h2g=vhost, loopback=loopback, local CID 2");
	}

	@Test
	void vhostWithoutItsDeviceIsNotUsable() throws IOException {
		modules("vsock", "vhost_vsock");
		TransportStatus h2g = VsockTransports.detect(this.root, OptionalLong.empty())
			.transports()
			.get(VsockTransport.H2G);
		assertThat(h2g.available()).isFalse();
		assertThat(h2g.detail()).contains("/dev/vhost-vsock");
	}

	@Test
	void vmwareGuest() throws IOException {
		modules("vsock", "vmw_vsock_vmci_transport");
		file("dev/vmci");
		assertThat(VsockTransports.detect(this.root, OptionalLong.empty()).transports().get(VsockTransport.G2H))
			.isEqualTo(TransportStatus.available("vmci"));
	}

	@Test
	void hyperVGuest() throws IOException {
		modules("vsock", "hv_sock");
		assertThat(VsockTransports.detect(this.root, OptionalLong.empty()).transports().get(VsockTransport.G2H))
			.isEqualTo(TransportStatus.available("hyperv"));
	}

	@Test
	void containerWithoutDevVsockStillSeesTheKernelsTransports() throws IOException {
		modules("vsock", "vsock_loopback");
		VsockTransports transports = VsockTransports.detect(this.root, OptionalLong.empty());
		assertThat(transports.isAfVsockPresent()).isTrue();
		assertThat(transports.available()).containsExactly(VsockTransport.LOOPBACK);
		assertThat(transports.localCid()).isEmpty();
		assertThat(transports.toString()).endsWith("local CID unknown");
	}

	@Test
	void saysWhyTheLocalCidIsUnknownBeforeJava22() {
		assertThat(VsockTransports.unknownLocalCid(17)).isEqualTo("unknown (reading it needs Java 22 or later)");
		assertThat(VsockTransports.unknownLocalCid(21)).isEqualTo("unknown (reading it needs Java 22 or later)");
		assertThat(VsockTransports.unknownLocalCid(22)).isEqualTo("unknown");
	}

	@Test
	void builtInModulesCount() throws IOException {
		file("proc/sys/kernel/osrelease", "6.18.44-test\n");
		file("lib/modules/6.18.44-test/modules.builtin",
				"kernel/net/vmw_vsock/vsock.ko\nkernel/net/vmw_vsock/vsock_loopback.ko\n");
		VsockTransports transports = VsockTransports.detect(this.root, OptionalLong.empty());
		assertThat(transports.isAfVsockPresent()).isTrue();
		assertThat(transports.isAvailable(VsockTransport.LOOPBACK)).isTrue();
	}

	@Test
	void kernelWithoutVsock() {
		VsockTransports transports = VsockTransports.detect(this.root, OptionalLong.empty());
		assertThat(transports.isAfVsockPresent()).isFalse();
		assertThat(transports.available()).isEmpty();
		assertThat(transports).hasToString("AF_VSOCK: not supported by this kernel");
	}

	@Test
	void transportIdsParseInAnyCaseAndRejectOthersNamingThem() {
		assertThat(VsockTransport.fromId("G2H")).isEqualTo(VsockTransport.G2H);
		assertThat(VsockTransport.fromId(" loopback")).isEqualTo(VsockTransport.LOOPBACK);
		assertThatIllegalArgumentException().isThrownBy(() -> VsockTransport.fromId("tcp"))
			.withMessage("Invalid vsock transport 'tcp': expected one of g2h, h2g, loopback");
	}

	@Test
	void localCidOfAMissingDeviceIsUnknown() {
		assertThat(LocalCid.read(this.root.resolve("dev/vsock"))).isEmpty();
	}

	private void modules(String... names) throws IOException {
		for (String name : names) {
			directory("sys/module/" + name);
		}
	}

	private void directory(String path) throws IOException {
		Files.createDirectories(this.root.resolve(path));
	}

	private void file(String path) throws IOException {
		file(path, "");
	}

	private void file(String path, String content) throws IOException {
		Path file = this.root.resolve(path);
		Files.createDirectories(file.getParent());
		Files.writeString(file, content);
	}

}
