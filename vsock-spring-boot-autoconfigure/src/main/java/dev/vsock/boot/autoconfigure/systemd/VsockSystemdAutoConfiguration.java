package dev.vsock.boot.autoconfigure.systemd;

import java.time.Duration;
import java.util.stream.Collectors;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import dev.vsock.boot.systemd.NotifySocket;
import dev.vsock.boot.systemd.SystemdNotifier;
import dev.vsock.boot.systemd.SystemdNotifyListener;
import dev.vsock.boot.web.VsockListeners;

/**
 * Tells the service manager that started the application when it is ready and when it stops,
 * where the {@code NOTIFY_SOCKET} environment variable names a socket (systemd's
 * {@code Type=notify} units, or a VMM on the guest's host with {@code vsock-stream:CID:PORT}).
 * Switched off with {@code spring.vsock.systemd.notify.enabled=false}.
 */
@AutoConfiguration
@ConditionalOnProperty(NotifySocket.ENVIRONMENT_VARIABLE)
@ConditionalOnBooleanProperty(name = "spring.vsock.systemd.notify.enabled", matchIfMissing = true)
public final class VsockSystemdAutoConfiguration {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@Bean
	@ConditionalOnMissingBean
	SystemdNotifyListener vsockSystemdNotifyListener(Environment environment, ObjectProvider<VsockListeners> listeners) {
		String value = environment.getRequiredProperty(NotifySocket.ENVIRONMENT_VARIABLE);
		NotifySocket socket;
		try {
			socket = NotifySocket.parse(value);
		}
		catch (IllegalArgumentException ex) {
			// Fail now, naming the value: else a unit of Type=notify times out with no word why.
			throw new IllegalStateException(ex.getMessage() + ". Fix the service's NOTIFY_SOCKET, or set"
					+ " spring.vsock.systemd.notify.enabled=false if nothing waits for the application to be ready",
					ex);
		}
		return new SystemdNotifyListener(new SystemdNotifier(socket, TIMEOUT), () -> status(listeners));
	}

	private static String status(ObjectProvider<VsockListeners> listeners) {
		VsockListeners registry = listeners.getIfAvailable();
		String vsock = (registry != null) ? registry.all()
			.stream()
			.filter((listener) -> listener.isListening())
			.map((listener) -> listener.serverName() + " on vsock port " + listener.address().port())
			.collect(Collectors.joining(", ")) : "";
		return vsock.isEmpty() ? "Accepting traffic" : "Accepting traffic: " + vsock;
	}

}
