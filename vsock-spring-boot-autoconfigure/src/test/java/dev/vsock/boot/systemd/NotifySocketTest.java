package dev.vsock.boot.systemd;

import org.junit.jupiter.api.Test;

import dev.vsock.boot.VsockAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class NotifySocketTest {

	@Test
	void aPathIsAUnixDatagramSocket() {
		assertThat(NotifySocket.parse("/run/systemd/notify")).isInstanceOfSatisfying(NotifySocket.Unix.class,
				(unix) -> assertThat(unix.path()).isEqualTo("/run/systemd/notify".getBytes()));
	}

	@Test
	void anAtSignIsTheAbstractNamespaceWhoseNameStartsWithANulByte() {
		assertThat(NotifySocket.parse("@agent/notify")).isInstanceOfSatisfying(NotifySocket.Unix.class,
				(unix) -> assertThat(unix.path()).isEqualTo("\0agent/notify".getBytes()));
	}

	@Test
	void vsockStreamAndVsockAreAStreamToTheReceiversCidAndPort() {
		assertThat(NotifySocket.parse("vsock-stream:2:8888")).isEqualTo(
				new NotifySocket.Vsock("vsock-stream:2:8888", VsockAddress.of(VsockAddress.CID_HOST, 8888)));
		assertThat(NotifySocket.parse("vsock:host:8888"))
			.isEqualTo(new NotifySocket.Vsock("vsock:host:8888", VsockAddress.of(VsockAddress.CID_HOST, 8888)));
		assertThat(NotifySocket.parse("vsock-stream:local:4294967294"))
			.isEqualTo(new NotifySocket.Vsock("vsock-stream:local:4294967294",
					VsockAddress.of(VsockAddress.CID_LOCAL, 4294967294L)));
	}

	@Test
	void datagramAndSeqpacketFormsAreRefusedSayingWhatToPassInstead() {
		assertThatIllegalArgumentException().isThrownBy(() -> NotifySocket.parse("vsock-seqpacket:2:8888"))
			.withMessageContaining("'vsock-seqpacket:2:8888'")
			.withMessageContaining("pass vsock-stream:CID:PORT");
		assertThatIllegalArgumentException().isThrownBy(() -> NotifySocket.parse("vsock-dgram:2:8888"))
			.withMessageContaining("stream sockets only");
	}

	@Test
	void whatIsNotAnAddressIsRefusedNamingTheValue() {
		assertThatIllegalArgumentException().isThrownBy(() -> NotifySocket.parse("run/notify"))
			.withMessageContaining("Invalid NOTIFY_SOCKET 'run/notify'")
			.withMessageContaining("absolute Unix socket path");
		assertThatIllegalArgumentException().isThrownBy(() -> NotifySocket.parse("vsock-stream:2"))
			.withMessageContaining("expected vsock-stream:CID:PORT");
		assertThatIllegalArgumentException().isThrownBy(() -> NotifySocket.parse("vsock-stream:any:8888"))
			.withMessageContaining("the CID and the port of the receiver are needed");
		assertThatIllegalArgumentException().isThrownBy(() -> NotifySocket.parse("vsock-stream:2:port"))
			.withMessageContaining("Invalid NOTIFY_SOCKET 'vsock-stream:2:port'");
		assertThatIllegalArgumentException().isThrownBy(() -> NotifySocket.parse("/" + "x".repeat(107)))
			.withMessageContaining("at most 107 bytes");
	}

}
