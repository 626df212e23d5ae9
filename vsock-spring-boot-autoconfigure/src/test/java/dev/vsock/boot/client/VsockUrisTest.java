package dev.vsock.boot.client;

import java.net.URI;

import org.junit.jupiter.api.Test;

import dev.vsock.boot.VsockAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class VsockUrisTest {

	@Test
	void theHostPartNamesTheTargetAndTheRestIsTheRequest() {
		URI uri = URI.create("vsock://3:4294967294/agent/status?verbose=true&x=%20y");
		assertThat(VsockUris.isVsock(uri)).isTrue();
		assertThat(VsockUris.target(uri)).isEqualTo(VsockAddress.of(3, 4294967294L));
		assertThat(VsockUris.toRequestUri(uri)).hasToString("/agent/status?verbose=true&x=%20y");
	}

	@Test
	void namedCidsAndAnEmptyPathWork() {
		assertThat(VsockUris.target(URI.create("vsock://host:8080"))).isEqualTo(VsockAddress.of(2, 8080));
		assertThat(VsockUris.target(URI.create("VSOCK://local:5000/"))).isEqualTo(VsockAddress.of(1, 5000));
		assertThat(VsockUris.toRequestUri(URI.create("vsock://local:5000"))).hasToString("/");
	}

	@Test
	void otherSchemesAreNotVsock() {
		assertThat(VsockUris.isVsock(URI.create("http://localhost:8080/"))).isFalse();
		assertThat(VsockUris.isVsock(URI.create("/relative"))).isFalse();
	}

	@Test
	void aTargetWithoutPortOrWithAnyIsRejectedByName() {
		assertThatIllegalArgumentException().isThrownBy(() -> VsockUris.target(URI.create("vsock://3/status")))
			.withMessageContaining("'vsock://3/status'")
			.withMessageContaining("vsock://<cid>:<port>/path");
		assertThatIllegalArgumentException().isThrownBy(() -> VsockUris.target(URI.create("vsock://any:80/")))
			.withMessageContaining("not 'any'");
		assertThatIllegalArgumentException().isThrownBy(() -> VsockUris.target(URI.create("vsock://guest:80/")))
			.withMessageContaining("'guest'");
	}

}
