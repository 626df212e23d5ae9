package dev.vsock.boot.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The minimal WebFlux application whose start-up is timed with and without the starter on the
 * class path: one route, no component scan. Prints one line,
 * {@code STARTED uptime=<ms> spring=<ms> vsock=<port|none>}, once it is ready, and exits.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class StartupApp {

	@Bean
	RouterFunction<ServerResponse> hello() {
		return RouterFunctions.route().GET("/hello", (request) -> ServerResponse.ok().bodyValue("hello")).build();
	}

	public static void main(String[] args) {
		AtomicReference<Duration> springTime = new AtomicReference<>(Duration.ZERO);
		SpringApplication application = new SpringApplication(StartupApp.class);
		// Tomcat may be on the class path too: this is the WebFlux application either way.
		application.setWebApplicationType(WebApplicationType.REACTIVE);
		application.addListeners((ApplicationListener<ApplicationReadyEvent>) (event) -> springTime.set(event.getTimeTaken()));
		ConfigurableApplicationContext context = application.run(args);
		long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
		String vsockPort = context.getEnvironment().getProperty("local.vsock.port", "none");
		System.out.println("STARTED uptime=" + uptime + " spring=" + springTime.get().toMillis() + " vsock=" + vsockPort);
		System.exit(SpringApplication.exit(context));
	}

}
