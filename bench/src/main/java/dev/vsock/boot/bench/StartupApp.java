package dev.vsock.boot.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline.TimelineEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.metrics.StartupStep;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The minimal WebFlux application whose start-up is timed with and without the starter on the
 * class path: one route, no component scan. Prints one line,
 * {@code STARTED uptime=<ms> spring=<ms> vsock=<port|none> epoll=<ms|none|untimed> factory=<ms> starterBeans=<ms> cpu=<ms>},
 * once it is ready, and exits. {@code uptime} and {@code cpu} (the process's CPU time, every
 * thread's) are read when Spring Boot's readiness state becomes {@code ACCEPTING_TRAFFIC}, before
 * any other listener of that change: what runs after it (the starter's start-up summary) is not on
 * the way to readiness.
 *
 * <p>Two parts of the starter's cost are timed inside the JVM, so that a difference of whole
 * start-ups can be taken apart: {@code epoll}, loading Netty's epoll transport (its native
 * library is extracted from the jar and loaded), timed first thing after Netty's common classes,
 * which the application loads either way, have been loaded and left out of it; and
 * {@code factory} and {@code starterBeans}, the time Spring spent creating the reactive web server
 * factory (the starter's replaces Spring Boot's, so this is compared between the two) and the
 * starter's other beans, from the outermost {@code spring.beans.instantiate} steps of a
 * {@link BufferingApplicationStartup} (a bean created inside another is counted once, as part
 * of the outer one).
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class StartupApp {

	@Bean
	RouterFunction<ServerResponse> hello() {
		return RouterFunctions.route().GET("/hello", (request) -> ServerResponse.ok().bodyValue("hello")).build();
	}

	public static void main(String[] args) {
		// Timed only when asked: loading it here takes it off Spring Boot's background
		// pre-initialization, where the starter loads it, so the whole start-up is not as shipped.
		String epoll = Boolean.getBoolean("bench.timeEpoll") ? timeEpoll() : "untimed";
		AtomicReference<Duration> springTime = new AtomicReference<>(Duration.ZERO);
		SpringApplication application = new SpringApplication(StartupApp.class);
		BufferingApplicationStartup steps = new BufferingApplicationStartup(100_000);
		application.setApplicationStartup(steps);
		// Tomcat may be on the class path too: this is the WebFlux application either way.
		application.setWebApplicationType(WebApplicationType.REACTIVE);
		application.addListeners((ApplicationListener<ApplicationReadyEvent>) (event) -> springTime.set(event.getTimeTaken()));
		Ready ready = new Ready();
		application.addListeners(ready);
		ConfigurableApplicationContext context = application.run(args);
		long[] beans = beanNanos(steps);
		String vsockPort = context.getEnvironment().getProperty("local.vsock.port", "none");
		System.out.println("STARTED uptime=" + ready.uptimeMillis + " spring=" + springTime.get().toMillis() + " vsock="
				+ vsockPort + " epoll=" + epoll + " factory=" + millis(beans[0]) + " starterBeans=" + millis(beans[1])
				+ " cpu=" + millis(ready.cpuNanos));
		System.exit(SpringApplication.exit(context));
	}

	/**
	 * Loads Netty's epoll transport, if it is on the class path, and says how long that took in
	 * milliseconds; Netty's common classes are loaded first and not counted, since the
	 * application loads them with or without the starter.
	 */
	private static String timeEpoll() {
		ClassLoader loader = StartupApp.class.getClassLoader();
		try {
			Class.forName("io.netty.util.internal.PlatformDependent", true, loader);
			Class.forName("io.netty.buffer.ByteBufAllocator", true, loader);
		}
		catch (ClassNotFoundException ex) {
			throw new IllegalStateException("Netty is expected on the class path either way", ex);
		}
		long start = System.nanoTime();
		try {
			Class<?> epoll = Class.forName("io.netty.channel.epoll.Epoll", true, loader);
			epoll.getMethod("ensureAvailability").invoke(null);
		}
		catch (ClassNotFoundException ex) {
			return "none";
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("Netty's epoll transport is on the class path but did not load", ex);
		}
		return String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e6);
	}

	/**
	 * Spring's time creating beans, from its start-up steps: the reactive web server factory (the
	 * starter's replaces Spring Boot's, so it is paid either way and compared between the two),
	 * and the starter's other beans. Only outermost steps count: a bean created while another is
	 * being created is part of the outer one.
	 * @return {@code [factory nanoseconds, starter's other beans nanoseconds]}
	 */
	private static long[] beanNanos(BufferingApplicationStartup steps) {
		Set<Long> counted = new HashSet<>();
		long[] nanos = new long[2];
		// Events come in the order the steps ended, so a bean created inside another ends first;
		// sorted by start, a parent is seen before its children.
		for (TimelineEvent event : steps.getBufferedTimeline().getEvents().stream()
			.sorted(Comparator.comparing(TimelineEvent::getStartTime))
			.toList()) {
			StartupStep step = event.getStartupStep();
			if (step.getParentId() != null && counted.contains(step.getParentId())) {
				counted.add(step.getId());
				continue;
			}
			if (!"spring.beans.instantiate".equals(step.getName())) {
				continue;
			}
			int kind = isFactory(step.getTags()) ? 0 : isStarters(step.getTags()) ? 1 : -1;
			if (kind >= 0) {
				counted.add(step.getId());
				nanos[kind] += event.getDuration().toNanos();
			}
		}
		return nanos;
	}

	private static String millis(long nanos) {
		return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
	}

	private static boolean isFactory(Iterable<StartupStep.Tag> tags) {
		for (StartupStep.Tag tag : tags) {
			if ("beanType".equals(tag.getKey()) && tag.getValue().endsWith(".ReactiveWebServerFactory")) {
				return true;
			}
		}
		return false;
	}

	private static boolean isStarters(Iterable<StartupStep.Tag> tags) {
		for (StartupStep.Tag tag : tags) {
			if (("beanName".equals(tag.getKey()) || "beanType".equals(tag.getKey()))
					&& tag.getValue().toLowerCase(Locale.ROOT).contains("vsock")) {
				return true;
			}
		}
		return false;
	}

	/** Reads the uptime and the process's CPU time when the application starts accepting traffic. */
	private static final class Ready implements ApplicationListener<AvailabilityChangeEvent<?>>, Ordered {

		private volatile long uptimeMillis = -1;

		private volatile long cpuNanos = -1;

		@Override
		public void onApplicationEvent(AvailabilityChangeEvent<?> event) {
			if (event.getState() == ReadinessState.ACCEPTING_TRAFFIC && this.uptimeMillis < 0) {
				this.uptimeMillis = ManagementFactory.getRuntimeMXBean().getUptime();
				this.cpuNanos = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
					.getProcessCpuTime();
			}
		}

		@Override
		public int getOrder() {
			return Ordered.HIGHEST_PRECEDENCE;
		}

	}

}
