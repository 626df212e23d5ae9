package dev.vsock.boot.tomcat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The endpoint's periodic timeout check survives a connection whose check fails: the others are
 * still checked, and nothing escapes to the scheduler, which would cancel every later run.
 */
class VsockEndpointTimeoutCheckTest {

	@Test
	void oneFailingConnectionNeitherStopsTheOthersNorTheCheck() {
		List<String> checked = new ArrayList<>();
		assertThatNoException().isThrownBy(() -> VsockEndpoint.forEachConnection(List.of("a", "b", "c"), (connection) -> {
			if (connection.equals("b")) {
				throw new IllegalStateException("b is broken");
			}
			checked.add(connection);
		}));
		assertThat(checked).containsExactly("a", "c");
	}

}
