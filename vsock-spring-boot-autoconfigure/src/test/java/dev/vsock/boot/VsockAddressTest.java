package dev.vsock.boot;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class VsockAddressTest {

	@Test
	void parsesNumbersAndNames() {
		assertThat(VsockAddress.parse("vsock://3:8080")).isEqualTo(VsockAddress.of(3, 8080));
		assertThat(VsockAddress.parse("vsock://any:1234").cid()).isEqualTo(VsockAddress.CID_ANY);
		assertThat(VsockAddress.parse("VSOCK://local:80").cid()).isEqualTo(1);
		assertThat(VsockAddress.parse("host:80").cid()).isEqualTo(2);
		assertThat(VsockAddress.parse("hypervisor:80").cid()).isZero();
		assertThat(VsockAddress.parseCid("-1")).isEqualTo(VsockAddress.CID_ANY);
	}

	@Test
	void holdsUnsigned32BitValuesAboveIntegerMaxValue() {
		VsockAddress address = VsockAddress.parse("vsock://4294967294:3044847410");
		assertThat(address.cid()).isEqualTo(4294967294L);
		assertThat(address.port()).isEqualTo(3044847410L);
		assertThat(VsockAddress.of(address.toNetty())).isEqualTo(address);
	}

	@Test
	void portZeroMeansAnyPort() {
		assertThat(VsockAddress.of(1, 0).isAnyPort()).isTrue();
		assertThat(VsockAddress.parsePort("0")).isEqualTo(VsockAddress.PORT_ANY);
		assertThat(VsockAddress.parse("any:any")).isEqualTo(VsockAddress.of(VsockAddress.CID_ANY, 0));
	}

	@Test
	void printsNamesForWellKnownCids() {
		assertThat(VsockAddress.of(VsockAddress.CID_ANY, 1234)).hasToString("vsock://any:1234");
		assertThat(VsockAddress.of(1, 80)).hasToString("vsock://local:80");
		assertThat(VsockAddress.of(2, 80)).hasToString("vsock://host:80");
		assertThat(VsockAddress.of(7, 0)).hasToString("vsock://7:any");
		assertThat(VsockAddress.parse(VsockAddress.of(4294967294L, 3044847410L).toString()))
			.isEqualTo(VsockAddress.of(4294967294L, 3044847410L));
	}

	@Test
	void rejectsValuesOutOfRangeNamingTheValueAndTheRange() {
		assertThatIllegalArgumentException().isThrownBy(() -> VsockAddress.of(-2, 80))
			.withMessage("Invalid vsock CID '-2': expected a number from 0 to 4294967295");
		assertThatIllegalArgumentException().isThrownBy(() -> VsockAddress.parsePort("4294967296"))
			.withMessageContaining("'4294967296'")
			.withMessageContaining("0 to 4294967295");
		assertThatIllegalArgumentException().isThrownBy(() -> VsockAddress.parseCid("guest"))
			.withMessageContaining("'guest'")
			.withMessageContaining("any, hypervisor, local, host");
		assertThatIllegalArgumentException().isThrownBy(() -> VsockAddress.parse("localhost"))
			.withMessageContaining("expected vsock://<cid>:<port>");
	}

}
