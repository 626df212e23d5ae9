package dev.vsock.boot.tomcat;

import java.net.Inet6Address;
import java.net.InetAddress;

import org.apache.catalina.util.NetMaskSet;
import org.apache.catalina.valves.RemoteIpValve;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.vsock.boot.VsockAddress;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The remote address Tomcat reports for a vsock peer is an IP literal that Spring and Tomcat
 * parse without a DNS look-up, and that can never fall into a range that {@code RemoteIpValve}
 * (as Spring Boot configures it by default) trusts as an internal proxy, whatever the CID: a
 * guest whose CID reads as {@code 127.0.0.1} or {@code 10.x} could forge
 * {@code X-Forwarded-For} otherwise. Peers over hybrid vsock's Unix socket, whose CID is unknown,
 * get an address of the same kind.
 */
class VsockPeerAddressLiteralTest {

	private static final NetMaskSet TRUSTED = NetMaskSet.parse(new RemoteIpValve().getInternalProxies());

	@ParameterizedTest
	@ValueSource(longs = { 0, 1, 2, 3, 0x0A00_0001L, 0x7F00_0001L, 0x7F00_0000L, 0xC0A8_0101L, 0xAC10_0001L,
			0xA9FE_0001L, 0x6440_0001L, 0xFFFF_FFFEL })
	void aCidNeverReadsAsATrustedProxy(long cid) throws Exception {
		String literal = VsockSocketWrapper.ipLiteral(VsockAddress.of(cid, 5000));
		InetAddress address = InetAddress.getByName(literal);
		assertThat(address).isInstanceOf(Inet6Address.class);
		assertThat(TRUSTED.contains(address)).as("%s (CID %d) in %s", literal, cid, TRUSTED).isFalse();
		assertThat(literal).isEqualTo(
				"100:0:0:0:0:0:" + Long.toHexString(cid >>> 16) + ":" + Long.toHexString(cid & 0xFFFF));
	}

	@Test
	void aHybridPeerWhoseCidIsUnknownIsNoTrustedProxyEither() throws Exception {
		String literal = VsockSocketWrapper.ipLiteral(null);
		assertThat(literal).isEqualTo("100:0:0:0:0:0:ffff:ffff");
		assertThat(TRUSTED.contains(InetAddress.getByName(literal))).isFalse();
	}

}
