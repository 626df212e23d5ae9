package dev.vsock.boot.autoconfigure.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Conditional;

/**
 * Matches when a web server of the application should listen on vsock: the application's own
 * ({@link ConditionalOnVsockListener}) or a separate management server
 * ({@code management.server.vsock.port}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@Conditional(ConditionalOnVsockWebServer.OnVsockWebServerCondition.class)
public @interface ConditionalOnVsockWebServer {

	/**
	 * Either listener.
	 */
	class OnVsockWebServerCondition extends AnyNestedCondition {

		OnVsockWebServerCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnVsockListener
		static class ServerListener {

		}

		@ConditionalOnProperty(prefix = "management.server.vsock", name = "port")
		static class ManagementListener {

		}

	}

}
