package dev.vsock.boot.reactor;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.zip.CRC32;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.WebSocketHandler;

import dev.vsock.boot.VsockPeer;

/**
 * A WebFlux application for the end-to-end tests.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@RestController
public class ReactorVsockApplication {

	static volatile CountDownLatch slowStarted = new CountDownLatch(1);

	@GetMapping("/peer")
	String peer(@Nullable VsockPeer peer) {
		return (peer != null) ? "cid=" + peer.cid() + " port=" + peer.port() + " local=" + peer.localAddress().port()
				: "tcp";
	}

	@PostMapping("/upload")
	Mono<String> upload(@RequestBody Flux<DataBuffer> body) {
		CRC32 crc = new CRC32();
		return body.reduce(0L, (size, buffer) -> {
			int length = buffer.readableByteCount();
			byte[] bytes = new byte[length];
			buffer.read(bytes);
			DataBufferUtils.release(buffer);
			crc.update(bytes);
			return size + length;
		}).map((size) -> size + " " + crc.getValue());
	}

	@GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<String> events() {
		return Flux.just("one", "two", "three").delayElements(Duration.ofMillis(50));
	}

	@Bean
	HandlerMapping webSocketEcho() {
		WebSocketHandler echo = (session) -> session
			.send(session.receive().map((message) -> session.textMessage("echo:" + message.getPayloadAsText())));
		return new SimpleUrlHandlerMapping(Map.of("/echo", echo), -1);
	}

	@Bean
	NettyRouteProvider routeProvider() {
		return (routes) -> routes.get("/route-provider", (request, response) -> response.sendString(Mono.just("routed")));
	}

	@GetMapping("/slow")
	Mono<String> slow() {
		slowStarted.countDown();
		return Mono.delay(Duration.ofSeconds(3)).thenReturn("slow done");
	}

}
