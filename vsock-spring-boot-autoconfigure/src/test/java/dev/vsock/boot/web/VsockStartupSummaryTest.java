package dev.vsock.boot.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.transport.VsockTransports;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
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
	void detectsAndLogsOnlyOnceTheApplicationAcceptsTrafficAndOnlyTheFirstTime(CapturedOutput output) throws IOException {
		VsockTransports transports = VsockTransports.detect(this.root, OptionalLong.of(2));
		AtomicInteger detections = new AtomicInteger();
		VsockListeners listeners = new VsockListeners();
		listeners.add(FakeVsockListener.reactorOn5000(true, 0));
		VsockStartupSummary summary = new VsockStartupSummary(() -> {
			detections.incrementAndGet();
			return transports;
		}, listeners);
		summary.onApplicationEvent(new AvailabilityChangeEvent<>(this, LivenessState.CORRECT));
		summary.onApplicationEvent(new AvailabilityChangeEvent<>(this, ReadinessState.REFUSING_TRAFFIC));
		assertThat(detections).as("nothing on the way to readiness").hasValue(0);
		assertThat(output).doesNotContain("Vsock: ");
		summary.onApplicationEvent(new AvailabilityChangeEvent<>(this, ReadinessState.ACCEPTING_TRAFFIC));
		summary.onApplicationEvent(new AvailabilityChangeEvent<>(this, ReadinessState.REFUSING_TRAFFIC));
		summary.onApplicationEvent(new AvailabilityChangeEvent<>(this, ReadinessState.ACCEPTING_TRAFFIC));
		assertThat(detections).hasValue(1);
		assertThat(output.toString().split("Vsock: ", -1)).hasSize(2);
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
