package dev.vsock.boot.autoconfigure.preinitialize;

import io.netty.channel.epoll.Epoll;

import org.springframework.boot.autoconfigure.preinitialize.BackgroundPreinitializer;

import dev.vsock.boot.transport.VsockTransports;

/**
 * Loads, on Spring Boot's background pre-initialization thread, what the starter needs later on
 * the main thread: Netty's epoll transport (its native library is extracted from the jar and
 * loaded) and the transport detection, whose first run loads its classes and, on Java 22 and
 * later, links the {@code ioctl} that reads the local CID; the start-up summary runs it before
 * the application is ready. Each took tens of milliseconds of the main thread's start-up on the
 * benchmark's build machine (docs/benchmarks.md). Nothing is cached: the detection runs again,
 * on current facts, whenever it is asked.
 *
 * <p>Spring Boot runs background pre-initializers only on a machine with more than one
 * processor and unless {@code spring.backgroundpreinitializer.ignore} is set; if the main thread
 * reaches the epoll transport first, it waits for its initialization instead of doing it again.
 */
final class VsockBackgroundPreinitializer implements BackgroundPreinitializer {

	@Override
	public void preinitialize() {
		if (Epoll.isAvailable()) {
			VsockTransports.detect();
		}
	}

}
