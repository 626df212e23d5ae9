package dev.vsock.boot.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vsock.boot.transport.VsockTransports;

import static org.assertj.core.api.Assertions.assertThat;

class VsockStartupSummaryTest {

	@TempDir
	Path root;

	@Test
	void oneLineWithTransportsLocalCidAndListeners() throws IOException {
		Files.createDirectories(this.root.resolve("sys/module/vsock"));
		Files.createDirectories(this.root.resolve("sys/module/vsock_loopback"));
		VsockTransports transports = VsockTransports.detect(this.root, OptionalLong.of(2));
		VsockListeners listeners = new VsockListeners();
		listeners.add(FakeVsockListener.reactorOn5000(true, 0));
		assertThat(new VsockStartupSummary(() -> transports, listeners).summary()).isEqualTo(
				"Vsock: AF_VSOCK: g2h=absent, h2g=absent, loopback=loopback, local CID 2; listeners: vsock://any:5000 (reactor-netty, listening)");
	}

}
