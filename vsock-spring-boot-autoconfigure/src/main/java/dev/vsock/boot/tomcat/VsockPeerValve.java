package dev.vsock.boot.tomcat;

import java.io.IOException;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.VsockPeer;

/**
 * A Tomcat valve that sets the {@link VsockPeer} request attribute for requests that came in
 * over a {@link Http11VsockProtocol} connector.
 *
 * <p>Reads the addresses as {@link VsockEndpoint} reports them (the CIDs in decimal, the ports
 * as unsigned ints), so it must see the request before a valve that rewrites the remote address
 * (such as {@code RemoteIpValve}): add it first.
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
		if (request.getConnector().getProtocolHandler() instanceof Http11VsockProtocol) {
			request.setAttribute(VsockPeer.ATTRIBUTE,
					new VsockPeer(address(request.getRemoteAddr(), request.getRemotePort()),
							address(request.getLocalAddr(), request.getLocalPort())));
		}
		getNext().invoke(request, response);
	}

	private static VsockAddress address(String cid, int port) {
		return VsockAddress.of(Long.parseLong(cid), Integer.toUnsignedLong(port));
	}

}
