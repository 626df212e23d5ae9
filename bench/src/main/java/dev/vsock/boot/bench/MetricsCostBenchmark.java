package dev.vsock.boot.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.vsock.boot.bench.Results.MetricsResult;
import dev.vsock.boot.metrics.VsockMetrics;
import dev.vsock.boot.transport.VsockTransports;

/**
 * What the vsock meters cost per request: the same cell on the same server with
 * {@link VsockMetrics} bound to a {@link SimpleMeterRegistry} and without, alternated so that
 * drift in the guest does not favour either.
 */
final class MetricsCostBenchmark {

	private static final int ROUNDS = 2;

	private static final int CONCURRENCY = 16;

	private final LoadGenerator load;

	MetricsCostBenchmark(LoadGenerator load) {
		this.load = load;
	}

	List<MetricsResult> run(BenchServer server) {
		HttpTarget target = HttpTarget.vsock(server);
		List<MetricsResult> results = new ArrayList<>();
		for (int round = 1; round <= ROUNDS; round++) {
			results.add(new MetricsResult(server.kind(), false, round, rate(target), Map.of()));
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			new VsockMetrics(VsockTransports::detect, server.listeners()).bindTo(registry);
			double rate = rate(target);
			results.add(new MetricsResult(server.kind(), true, round, rate, read(registry)));
			registry.close();
		}
		return results;
	}

	private double rate(HttpTarget target) {
		return this.load.run(target, Workload.JSON_GET, CONCURRENCY).requestsPerSecond();
	}

	/** What a scrape would see: proof that the meters counted what the cell did. */
	private static Map<String, Double> read(SimpleMeterRegistry registry) {
		Map<String, Double> values = new TreeMap<>();
		for (Meter meter : registry.getMeters()) {
			if (meter.getId().getName().startsWith("vsock.transport")) {
				continue;
			}
			String reason = meter.getId().getTag("reason");
			String name = meter.getId().getName() + ((reason != null) ? "{reason=" + reason + "}" : "");
			for (Measurement measurement : meter.measure()) {
				values.put(name, measurement.getValue());
			}
		}
		return values;
	}

}
