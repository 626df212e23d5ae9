package dev.vsock.boot.tomcat;

import java.io.IOException;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

import dev.vsock.boot.VsockPeer;

/**
 * A Tomcat valve that sets the {@link VsockPeer} request attribute for requests that came in
 * over a {@link Http11VsockProtocol} connector, from their {@link VsockServletConnection}.
 */
public class VsockPeerValve extends ValveBase {

	/**
	 * Creates the valve; it supports asynchronous requests.
	 */
	public VsockPeerValve() {
		super(true);
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		if (request.getServletConnection() instanceof VsockServletConnection connection) {
			request.setAttribute(VsockPeer.ATTRIBUTE, connection.peer());
		}
		getNext().invoke(request, response);
	}

}
