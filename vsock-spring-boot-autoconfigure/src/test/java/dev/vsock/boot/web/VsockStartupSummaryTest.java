package dev.vsock.boot.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vsock.boot.VsockAddress;
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

	@Test
	void aListenerOnASocketTheServiceManagerPassedSaysSo() throws IOException {
		VsockTransports transports = VsockTransports.detect(this.root, OptionalLong.empty());
		VsockListener bound = FakeVsockListener.reactorOn5000(true, 0);
		VsockListeners listeners = new VsockListeners();
		listeners.add(new VsockListener() {

			@Override
			public String serverKind() {
				return "tomcat";
			}

			@Override
			public String serverName() {
				return "server";
			}

			@Override
			public VsockAddress address() {
				return bound.address();
			}

			@Override
			public boolean isListening() {
				return true;
			}

			@Override
			public VsockAdmission admission() {
				return bound.admission();
			}

			@Override
			public String inheritedFrom() {
				return "fd 3 'http'";
			}

		});
		assertThat(new VsockStartupSummary(() -> transports, listeners).summary())
			.endsWith("listeners: vsock://any:5000 (tomcat, listening, inherited fd 3 'http')");
	}

}
