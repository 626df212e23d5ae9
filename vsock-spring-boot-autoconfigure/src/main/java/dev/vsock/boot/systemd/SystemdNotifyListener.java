package dev.vsock.boot.systemd;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.core.ResolvableType;

/**
 * Tells the service manager (systemd, or the VMM on a guest's host) the application's state, as
 * Spring Boot's readiness state changes: {@code READY=1} with a {@code STATUS=} once the
 * application accepts traffic, {@code STATUS=} when it refuses traffic again, and
 * {@code STOPPING=1} when its context begins to close. A message that cannot be sent is logged,
 * and the application goes on: a unit of {@code Type=notify} then times out and says so.
 */
public class SystemdNotifyListener implements GenericApplicationListener, ApplicationContextAware {

	private static final Log logger = LogFactory.getLog(SystemdNotifyListener.class);

	private final SystemdNotifier notifier;

	private final Supplier<String> status;

	private final AtomicBoolean stopping = new AtomicBoolean();

	private final AtomicReference<@Nullable ReadinessState> lastState = new AtomicReference<>();

	private @Nullable ApplicationContext context;

	/**
	 * Creates the listener.
	 * @param notifier sends the messages
	 * @param status the status line sent with {@code READY=1}, for example where the application
	 * listens
	 */
	public SystemdNotifyListener(SystemdNotifier notifier, Supplier<String> status) {
		this.notifier = notifier;
		this.status = status;
	}

	@Override
	public void setApplicationContext(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public boolean supportsEventType(ResolvableType eventType) {
		Class<?> type = eventType.toClass();
		return AvailabilityChangeEvent.class.isAssignableFrom(type) || ContextClosedEvent.class.isAssignableFrom(type);
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof AvailabilityChangeEvent<?> change && change.getState() instanceof ReadinessState state) {
			// A separate management server's context publishes its own readiness, which reaches
			// this listener too, and closes after the application's has said STOPPING=1: the
			// service manager hears of each change once, and nothing after STOPPING=1.
			if (this.stopping.get() || this.lastState.getAndSet(state) == state) {
				return;
			}
			if (state == ReadinessState.ACCEPTING_TRAFFIC) {
				send("READY=1", "STATUS=" + this.status.get());
			}
			else {
				send("STATUS=Refusing traffic");
			}
		}
		else if (event instanceof ContextClosedEvent closed && isThisApplication(closed.getApplicationContext())
				&& this.stopping.compareAndSet(false, true)) {
			send("STOPPING=1", "STATUS=Stopping");
		}
	}

	/** A child context (a separate management server's) closes inside the application's. */
	private boolean isThisApplication(ApplicationContext closed) {
		return this.context == null || closed == this.context;
	}

	private void send(String... assignments) {
		try {
			this.notifier.notify(assignments);
			if (logger.isDebugEnabled()) {
				logger.debug("Notified " + this.notifier.socket() + ": " + String.join(", ", assignments));
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Could not notify the service manager at NOTIFY_SOCKET=" + this.notifier.socket() + " of "
					+ assignments[0] + ": " + ex.getMessage()
					+ ". Check that the receiver listens there, or set spring.vsock.systemd.notify.enabled=false");
		}
	}

}
