package dev.vsock.boot.bench;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

import dev.vsock.boot.bench.Results.HttpResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An interleaved cell, over TCP on the build machine (the load generator is the same for every
 * transport): two servers, each answering one target, record which of them answered each request,
 * so that the order the targets took turns in shows.
 */
class LoadGeneratorTest {

	@Test
	void aCellsTargetsTakeTurnsSliceBySliceAndEachGetsItsOwnFigures() {
		List<String> answered = Collections.synchronizedList(new ArrayList<>());
		DisposableServer a = server("a", answered);
		DisposableServer b = server("b", answered);
		try {
			// 2 s measured: two slices of the shortest length, 1 s, per target.
			LoadGenerator load = new LoadGenerator(Duration.ofMillis(200), Duration.ofSeconds(2));
			List<HttpResult> results = load.interleave(List.of(target("a", a), target("b", b)), Workload.JSON_GET, 2, 1,
					6);
			assertThat(results).extracting(HttpResult::server).containsExactly("a", "b");
			assertThat(results).allSatisfy((result) -> {
				assertThat(result.requests()).isPositive();
				assertThat(result.errors()).isZero();
				assertThat(result.seconds()).isEqualTo(2.0);
				assertThat(result.requestsPerSecond()).isEqualTo(result.requests() / 2.0);
			});
			// The warm-ups a, b; then the slices a, b, b, a: the runs of one server's answers.
			assertThat(runs(answered)).containsExactly("a", "b", "a", "b", "a");
		}
		finally {
			a.disposeNow();
			b.disposeNow();
		}
	}

	@Test
	void responsesLongerThanTheCellsWarmUpGetAWindowOfFourOfThem() {
		// Every response takes 700 ms, more than the cell's warm-up of 200 ms: the plan is made from
		// the warm-up's responses that ended after it, so one slice, led by 1.4 s, measures 2.8 s.
		DisposableServer slow = server("slow", new ArrayList<>(), Duration.ofMillis(700));
		try {
			LoadGenerator load = new LoadGenerator(Duration.ofMillis(200), Duration.ofSeconds(1));
			HttpResult result = load.interleave(List.of(target("slow", slow)), Workload.JSON_GET, 2, 1, 6).get(0);
			assertThat(result.errors()).isZero();
			assertThat(result.seconds()).isGreaterThanOrEqualTo(2.8);
			// The responses of the third to fifth rounds of the two connections at least.
			assertThat(result.requests()).isGreaterThanOrEqualTo(6);
		}
		finally {
			slow.disposeNow();
		}
	}

	@Test
	void turnsAlternateTheirOrder() {
		assertThat(LoadGenerator.turns(3, 2)).containsExactly(0, 1, 2, 2, 1, 0);
		assertThat(LoadGenerator.turns(2, 3)).containsExactly(0, 1, 1, 0, 0, 1);
		assertThat(LoadGenerator.turns(4, 1)).containsExactly(0, 1, 2, 3);
	}

	private static DisposableServer server(String name, List<String> answered) {
		return server(name, answered, Duration.ZERO);
	}

	private static DisposableServer server(String name, List<String> answered, Duration delay) {
		return HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.get(Endpoints.JSON, (request, response) -> {
				answered.add(name);
				return response.sendString(Mono.just("{}").delayElement(delay));
			}))
			.bindNow();
	}

	private static HttpTarget target(String name, DisposableServer server) {
		InetSocketAddress address = (InetSocketAddress) server.address();
		ConnectionProvider pool = ConnectionProvider.create("test-" + name);
		return new HttpTarget(name, "tcp", HttpClient.create(pool).remoteAddress(() -> address), address, pool,
				new DefaultChannelGroup(name, GlobalEventExecutor.INSTANCE));
	}

	private static List<String> runs(List<String> answered) {
		List<String> runs = new ArrayList<>();
		synchronized (answered) {
			for (String name : answered) {
				if (runs.isEmpty() || !runs.get(runs.size() - 1).equals(name)) {
					runs.add(name);
				}
			}
		}
		return runs;
	}

}
