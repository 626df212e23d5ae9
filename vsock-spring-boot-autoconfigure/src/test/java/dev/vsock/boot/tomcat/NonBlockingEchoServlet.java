package dev.vsock.boot.tomcat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Echoes the request body with Servlet non-blocking I/O: reads it with a {@link ReadListener},
 * writes it back with a {@link WriteListener}, never blocking a container thread. {@code GET}
 * with {@code size} writes that many bytes in one non-blocking write.
 */
class NonBlockingEchoServlet extends HttpServlet {

	@Override
	protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
		AsyncContext async = request.startAsync();
		byte[] bytes = new byte[Integer.parseInt(request.getParameter("size"))];
		response.setContentType("application/octet-stream");
		response.setContentLength(bytes.length);
		ServletOutputStream out = response.getOutputStream();
		out.setWriteListener(new WriteListener() {

			private boolean written;

			@Override
			public void onWritePossible() throws IOException {
				if (!this.written) {
					this.written = true;
					out.write(bytes);
				}
				if (out.isReady()) {
					async.complete();
				}
			}

			@Override
			public void onError(Throwable failure) {
				async.complete();
			}

		});
	}

	@Override
	protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
		AsyncContext async = request.startAsync();
		ServletInputStream in = request.getInputStream();
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		in.setReadListener(new ReadListener() {

			private final byte[] buffer = new byte[8192];

			@Override
			public void onDataAvailable() throws IOException {
				while (in.isReady()) {
					int n = in.read(this.buffer);
					if (n == -1) {
						return;
					}
					body.write(this.buffer, 0, n);
				}
			}

			@Override
			public void onAllDataRead() throws IOException {
				response.setContentType("application/octet-stream");
				ServletOutputStream out = response.getOutputStream();
				byte[] bytes = body.toByteArray();
				out.setWriteListener(new WriteListener() {

					private int written;

					@Override
					public void onWritePossible() throws IOException {
						while (out.isReady()) {
							if (this.written == bytes.length) {
								async.complete();
								return;
							}
							int n = Math.min(8192, bytes.length - this.written);
							out.write(bytes, this.written, n);
							this.written += n;
						}
					}

					@Override
					public void onError(Throwable failure) {
						async.complete();
					}

				});
			}

			@Override
			public void onError(Throwable failure) {
				async.complete();
			}

		});
	}

}
