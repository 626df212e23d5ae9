package dev.vsock.boot.sample;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.vsock.boot.VsockPeer;

/**
 * A guest agent: the kind of small service a VM runs for its host, reachable over vsock only.
 * It reports its status, runs named tasks and streams their progress, and says who called.
 */
@SpringBootApplication
@RestController
public class GuestAgentApplication {

	private final Instant started = Instant.now();

	private final AtomicLong runs = new AtomicLong();

	private final Map<String, Duration> tasks = new ConcurrentHashMap<>(
			Map.of("sync", Duration.ofMillis(200), "snapshot", Duration.ofMillis(500)));

	public static void main(String[] args) {
		SpringApplication.run(GuestAgentApplication.class, args);
	}

	/**
	 * The agent's status and the caller as the kernel identified it.
	 */
	@GetMapping("/status")
	Map<String, Object> status(@Nullable VsockPeer caller) {
		Map<String, Object> status = new LinkedHashMap<>();
		status.put("agent", "up");
		status.put("uptimeSeconds", Duration.between(this.started, Instant.now()).toSeconds());
		status.put("pid", ManagementFactory.getRuntimeMXBean().getPid());
		status.put("tasksRun", this.runs.get());
		status.put("callerCid", (caller != null) ? caller.cid() : null);
		status.put("callerPort", (caller != null) ? caller.port() : null);
		return status;
	}

	/**
	 * Runs a named task and streams its progress as server-sent events.
	 */
	@PostMapping(path = "/tasks/{name}", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	ResponseEntity<Flux<String>> run(@PathVariable String name) {
		Duration step = this.tasks.get(name);
		if (step == null) {
			return ResponseEntity.notFound().build();
		}
		Flux<String> progress = Flux.range(1, 4)
			.delayElements(step)
			.map((quarter) -> name + " " + (quarter * 25) + "%")
			.concatWith(Mono.fromSupplier(() -> name + " done, run " + this.runs.incrementAndGet()));
		return ResponseEntity.ok(progress);
	}

}
