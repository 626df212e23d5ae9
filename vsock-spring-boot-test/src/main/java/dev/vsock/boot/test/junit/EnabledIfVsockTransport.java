package dev.vsock.boot.test.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

import dev.vsock.boot.transport.VsockTransport;

/**
 * Runs a test class or method only where the kernel offers the given vsock transports, as
 * {@link dev.vsock.boot.transport.VsockTransports} detects them (from {@code /sys}, without
 * opening a connection).
 *
 * <p>Where a transport is missing the test is skipped, with the reason in the report. When the
 * run declares that vsock is required (system property or JUnit configuration parameter
 * {@code vsock.required=true}, as a CI job that boots a guest for these tests should set), the
 * test fails instead: a vsock run that silently skipped its vsock tests would prove nothing.
 *
 * <pre class="code">
 * &#64;EnabledIfVsockTransport(VsockTransport.LOOPBACK)
 * &#64;SpringBootTest(properties = "server.vsock.port=0")
 * class AgentIT { ... }
 * </pre>
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(VsockTransportCondition.class)
public @interface EnabledIfVsockTransport {

	/**
	 * The transports the test needs: {@code LOOPBACK} to call this machine at CID 1, {@code H2G}
	 * to call a guest, {@code G2H} to call the host.
	 * @return the transports
	 */
	VsockTransport[] value();

}
