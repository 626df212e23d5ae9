package dev.vsock.boot.autoconfigure.preinitialize;

import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.preinitialize.BackgroundPreinitializer;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The starter's background pre-initializer: registered where Spring Boot looks for one, and safe
 * to run.
 */
class VsockBackgroundPreinitializerTest {

	@Test
	void isRegisteredWithSpringBootsBackgroundPreinitialization() {
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation().load(BackgroundPreinitializer.class))
			.hasAtLeastOneElementOfType(VsockBackgroundPreinitializer.class);
	}

	@Test
	void loadsNettysEpollTransport() {
		assertThatNoException().isThrownBy(new VsockBackgroundPreinitializer()::preinitialize);
		// The build machine is Linux: the native library loaded, which is the work taken off the main thread.
		assertThat(Epoll.isAvailable()).isTrue();
	}

}
