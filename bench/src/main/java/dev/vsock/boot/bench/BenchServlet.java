package dev.vsock.boot.bench;

import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The benchmark's endpoints as a plain servlet, so that Tomcat is measured without Spring MVC.
 */
final class BenchServlet extends HttpServlet {

	@Override
	protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
		write(response, Endpoints.MEMORY.equals(request.getRequestURI()) ? Endpoints.memory() : Endpoints.greeting());
	}

	@Override
	protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
		byte[] buffer = new byte[64 * 1024];
		long received = 0;
		try (InputStream body = request.getInputStream()) {
			for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
				received += n;
			}
		}
		write(response, Endpoints.received(received));
	}

	private static void write(HttpServletResponse response, byte[] json) throws IOException {
		response.setContentType("application/json");
		response.setContentLength(json.length);
		response.getOutputStream().write(json);
	}

}
