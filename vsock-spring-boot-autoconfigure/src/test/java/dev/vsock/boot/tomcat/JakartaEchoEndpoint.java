package dev.vsock.boot.tomcat;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

/**
 * A Jakarta WebSocket endpoint, registered by Spring's {@code ServerEndpointExporter}.
 */
@ServerEndpoint("/jakarta-echo")
public class JakartaEchoEndpoint {

	@OnMessage
	public String echo(String message) {
		return "jakarta:" + message;
	}

}
