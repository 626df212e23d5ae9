package dev.vsock.boot.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test that connects over vsock loopback (CID 1), so it runs only inside the project's
 * test guest: never on a build machine, where a vsock connect would reach a host that is not
 * ours.
 *
 * <p>Outside the guest the test is skipped, visibly; when the run declares vsock required
 * ({@code -Dvsock.required=true}, as {@code scripts/test.sh} does in the guest) it fails instead.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(VsockLoopbackCondition.class)
public @interface RequiresVsockLoopback {

}
