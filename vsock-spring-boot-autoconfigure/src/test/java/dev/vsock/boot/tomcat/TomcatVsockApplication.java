package dev.vsock.boot.tomcat;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.server.standard.ServerEndpointExporter;

import dev.vsock.boot.VsockPeer;
import dev.vsock.boot.testsupport.VsockServerChecks;

/**
 * A Spring MVC application for the end-to-end tests of the Tomcat vsock connector: blocking,
 * streamed and asynchronous endpoints, and a WebSocket echo.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableWebSocket
@RestController
public class TomcatVsockApplication implements WebSocketConfigurer {

	static volatile CountDownLatch slowStarted = new CountDownLatch(1);

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

	@GetMapping("/peer")
	String peer(@Nullable VsockPeer peer) {
		return (peer != null) ? "cid=" + peer.cid() + " port=" + peer.port() + " local=" + peer.localAddress().port()
				: "tcp";
	}

	@GetMapping("/remote")
	String remote(HttpServletRequest request) {
		return request.getRemoteAddr() + " " + request.getRemotePort() + " " + request.getLocalAddr() + " "
				+ request.getLocalPort() + " " + new ServletServerHttpRequest(request).getRemoteAddress();
	}

	@GetMapping("/scheme")
	String scheme(HttpServletRequest request) {
		return request.getScheme() + " secure=" + request.isSecure() + " cipher="
				+ (request.getAttribute("jakarta.servlet.request.cipher_suite") != null);
	}

	@PostMapping("/upload")
	String upload(InputStream body) throws IOException {
		CRC32 crc = new CRC32();
		byte[] buffer = new byte[8192];
		long size = 0;
		for (int n = body.read(buffer); n != -1; n = body.read(buffer)) {
			crc.update(buffer, 0, n);
			size += n;
		}
		return size + " " + crc.getValue();
	}

	@GetMapping("/download")
	StreamingResponseBody download(@RequestParam int size) {
		return (out) -> out.write(VsockServerChecks.pattern(size));
	}

	@GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter events() {
		SseEmitter emitter = new SseEmitter();
		String[] events = { "one", "two", "three" };
		for (int i = 0; i < events.length; i++) {
			boolean last = i == events.length - 1;
			String event = events[i];
			this.scheduler.schedule(() -> {
				try {
					emitter.send(event);
					if (last) {
						emitter.complete();
					}
				}
				catch (IOException ex) {
					emitter.completeWithError(ex);
				}
			}, 50L * (i + 1), TimeUnit.MILLISECONDS);
		}
		return emitter;
	}

	@GetMapping("/deferred")
	DeferredResult<String> deferred() {
		DeferredResult<String> result = new DeferredResult<>();
		this.scheduler.schedule(() -> result.setResult("deferred done"), 100, TimeUnit.MILLISECONDS);
		return result;
	}

	@GetMapping("/callable")
	Callable<String> callable() {
		return () -> "callable done";
	}

	@Bean
	ServletRegistrationBean<NonBlockingEchoServlet> nonBlockingEcho() {
		ServletRegistrationBean<NonBlockingEchoServlet> registration = new ServletRegistrationBean<>(
				new NonBlockingEchoServlet(), "/nio-echo");
		registration.setAsyncSupported(true);
		return registration;
	}

	@Bean
	ServerEndpointExporter serverEndpointExporter() {
		ServerEndpointExporter exporter = new ServerEndpointExporter();
		exporter.setAnnotatedEndpointClasses(JakartaEchoEndpoint.class);
		return exporter;
	}

	@GetMapping("/slow")
	String slow() throws InterruptedException {
		slowStarted.countDown();
		Thread.sleep(3000);
		return "slow done";
	}

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		registry.addHandler(new TextWebSocketHandler() {

			@Override
			protected void handleTextMessage(WebSocketSession session, TextMessage message) throws IOException {
				session.sendMessage(new TextMessage("echo:" + message.getPayload()));
			}

		}, "/echo");
	}

}
