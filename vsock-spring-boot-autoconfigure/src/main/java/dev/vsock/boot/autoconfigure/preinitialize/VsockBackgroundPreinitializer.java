package dev.vsock.boot.autoconfigure.preinitialize;

import io.netty.channel.epoll.Epoll;

import org.springframework.boot.autoconfigure.preinitialize.BackgroundPreinitializer;

/**
 * Loads, on Spring Boot's background pre-initialization thread, what the starter needs later on
 * the main thread: Netty's epoll transport (its native library is extracted from the jar and
 * loaded), which took tens of milliseconds of the main thread's start-up on the benchmark's build
 * machine (docs/benchmarks.md). The transport detection is not run here: its only run during
 * start-up is the start-up summary's, after the application accepts traffic, and running it here as
 * well would do the same work twice.
 *
 * <p>Spring Boot runs background pre-initializers only on a machine with more than one
 * processor and unless {@code spring.backgroundpreinitializer.ignore} is set; if the main thread
 * reaches the epoll transport first, it waits for its initialization instead of doing it again.
 */
final class VsockBackgroundPreinitializer implements BackgroundPreinitializer {

	@Override
	public void preinitialize() {
		Epoll.isAvailable();
	}

}
