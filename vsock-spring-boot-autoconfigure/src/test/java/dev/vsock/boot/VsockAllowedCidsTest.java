package dev.vsock.boot;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class VsockAllowedCidsTest {

	@Test
	void anEmptyListAdmitsEveryPeer() {
		VsockAllowedCids any = VsockAllowedCids.parse(List.of());
		assertThat(any).isSameAs(VsockAllowedCids.ANY);
		assertThat(any.allows(1)).isTrue();
		assertThat(any.allows(4294967295L)).isTrue();
		assertThat(any).hasToString("any");
	}

	@Test
	void namesAndNumbersAdmitExactlyThoseCids() {
		VsockAllowedCids cids = VsockAllowedCids.parse(List.of("local", "host", "42", "4000000000"));
		assertThat(cids.allows(1)).isTrue();
		assertThat(cids.allows(2)).isTrue();
		assertThat(cids.allows(42)).isTrue();
		assertThat(cids.allows(4000000000L)).isTrue();
		assertThat(cids.allows(3)).isFalse();
		assertThat(cids).hasToString("1,2,42,4000000000");
	}

	@Test
	void loopbackPeersCanBeRefusedWhateverTheList() {
		VsockAllowedCids noLocal = VsockAllowedCids.ANY.withLocal(false);
		assertThat(noLocal.allows(1)).isFalse();
		assertThat(noLocal.allows(3)).isTrue();
		assertThat(noLocal.isAny()).isFalse();
		assertThat(VsockAllowedCids.parse(List.of("local", "3")).withLocal(false).allows(1)).isFalse();
		assertThat(noLocal).hasToString("any but not local (1)");
	}

	@Test
	void aValueThatIsNoCidIsRejectedByName() {
		assertThatIllegalArgumentException().isThrownBy(() -> VsockAllowedCids.parse(List.of("guest")))
			.withMessageContaining("'guest'");
		assertThatIllegalArgumentException().isThrownBy(() -> VsockAllowedCids.of(List.of(4294967296L)))
			.withMessageContaining("4294967296");
	}

	@Test
	void anyIsNoPeersCidAndIsRejectedSayingWhatToDoInstead() {
		for (String any : List.of("any", "-1", "4294967295")) {
			assertThatIllegalArgumentException().isThrownBy(() -> VsockAllowedCids.parse(List.of("host", any)))
				.withMessageContaining("'" + any + "'")
				.withMessageContaining("leave the list empty to admit every peer");
		}
	}

}
