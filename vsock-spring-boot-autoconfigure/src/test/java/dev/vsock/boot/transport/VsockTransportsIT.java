package dev.vsock.boot.transport;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.vsock.boot.testsupport.RequiresVsockLoopback;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Detection on the real kernel of the test guest, whose transports are known: loopback and vhost
 * (H2G) modules loaded, the virtio G2H transport loaded with no device, local CID 2.
 */
@RequiresVsockLoopback
@Tag("smoke")
class VsockTransportsIT {

	@Test
	void seesTheGuestsTransportsAndItsCid() {
		VsockTransports transports = VsockTransports.detect();
		assertThat(transports.isAfVsockPresent()).isTrue();
		assertThat(transports.available()).containsExactly(VsockTransport.H2G, VsockTransport.LOOPBACK);
		assertThat(transports.transports().get(VsockTransport.G2H).detail()).contains("no virtio-vsock device");
		if (Runtime.version().feature() >= 22) {
			assertThat(transports.localCid()).hasValue(2);
		}
		else {
			assertThat(transports.localCid()).isEmpty();
		}
	}

}
