package dev.vsock.boot.tomcat;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

import io.netty.channel.epoll.LinuxSocket;

import dev.vsock.boot.web.VsockConnectionCounters;

/**
 * TLS on one vsock connection: an {@link SSLEngine} between Tomcat's plain-text reads and writes
 * and the socket, never blocking (the connection waits for readiness as it does without TLS).
 * What Tomcat's {@code SecureNioChannel} does for NIO, which vsock sockets cannot use.
 *
 * <p>Not thread-safe: reads run under the connection's read lock, writes under its write lock, and
 * the handshake before either.
 */
final class VsockTls {

	/** The handshake needs the socket to become readable. */
	static final int NEEDS_READ = 1;

	/** The handshake needs the socket to become writable. */
	static final int NEEDS_WRITE = 2;

	private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

	private final SSLEngine engine;

	private final VsockConnectionCounters counters;

	/** Bytes from the socket not yet unwrapped, in write mode. */
	private ByteBuffer netIn;

	/** Bytes wrapped and not yet written to the socket, in write mode. */
	private ByteBuffer netOut;

	/** Plain text unwrapped and not yet read by Tomcat, in write mode. */
	private ByteBuffer appIn;

	VsockTls(SSLEngine engine, VsockConnectionCounters counters) throws SSLException {
		this.engine = engine;
		// A server engine reports NOT_HANDSHAKING until told: the handshake loop must see NEED_UNWRAP.
		engine.beginHandshake();
		this.counters = counters;
		SSLSession session = engine.getSession();
		this.netIn = ByteBuffer.allocateDirect(session.getPacketBufferSize());
		this.netOut = ByteBuffer.allocateDirect(session.getPacketBufferSize());
		this.appIn = ByteBuffer.allocate(session.getApplicationBufferSize());
	}

	/**
	 * Returns the TLS session, for Tomcat's {@code SSLSupport}.
	 * @return the session
	 */
	SSLSession session() {
		return this.engine.getSession();
	}

	/**
	 * Goes on with the handshake as far as the socket allows.
	 * @param socket the connection's socket
	 * @return 0 once the handshake is done, else {@link #NEEDS_READ} or {@link #NEEDS_WRITE}
	 * @throws IOException if the handshake failed or the peer went away
	 */
	int handshake(LinuxSocket socket) throws IOException {
		while (true) {
			if (!flush(socket)) {
				return NEEDS_WRITE;
			}
			HandshakeStatus status = this.engine.getHandshakeStatus();
			switch (status) {
				case NOT_HANDSHAKING, FINISHED -> {
					return 0;
				}
				case NEED_TASK -> runTasks();
				case NEED_WRAP -> wrap(EMPTY);
				case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
					SSLEngineResult result = unwrap();
					if (result.getStatus() == Status.CLOSED) {
						throw new EOFException("The peer closed TLS during the handshake");
					}
					if (needsMoreInput(result, status)) {
						int n = readSocket(socket);
						if (n < 0) {
							throw new EOFException("The peer closed the connection during the TLS handshake");
						}
						if (n == 0) {
							return NEEDS_READ;
						}
					}
				}
			}
		}
	}

	/**
	 * Reads plain text, unwrapping what the socket has.
	 * @param socket the connection's socket
	 * @param dst where the plain text goes
	 * @return the number of bytes read, 0 if none are there now, -1 at the end of the stream
	 * @throws IOException if TLS or the socket failed
	 */
	int read(LinuxSocket socket, ByteBuffer dst) throws IOException {
		while (true) {
			if (this.appIn.position() > 0) {
				this.appIn.flip();
				int n = Math.min(this.appIn.remaining(), dst.remaining());
				dst.put(this.appIn.slice(this.appIn.position(), n));
				this.appIn.position(this.appIn.position() + n);
				this.appIn.compact();
				return n;
			}
			if (this.engine.isInboundDone()) {
				return -1;
			}
			HandshakeStatus before = this.engine.getHandshakeStatus();
			SSLEngineResult result = unwrap();
			answerPostHandshake(socket);
			if (result.getStatus() == Status.CLOSED) {
				continue;
			}
			if (result.bytesProduced() == 0 && needsMoreInput(result, before)) {
				int n = readSocket(socket);
				if (n <= 0) {
					return n;
				}
			}
		}
	}

	/**
	 * Returns whether plain text is ready without reading the socket: then epoll would not report
	 * it, and the connection must be processed at once instead of waiting for readiness.
	 * @return whether there is plain text to read
	 * @throws IOException if TLS failed
	 */
	boolean hasBufferedInput() throws IOException {
		if (this.appIn.position() == 0 && this.netIn.position() > 0) {
			unwrap();
		}
		return this.appIn.position() > 0;
	}

	/**
	 * Wraps plain text and writes what the socket takes.
	 * @param socket the connection's socket
	 * @param src the plain text
	 * @return the number of plain-text bytes taken from {@code src}
	 * @throws IOException if TLS or the socket failed
	 */
	int write(LinuxSocket socket, ByteBuffer src) throws IOException {
		if (!flush(socket) || !src.hasRemaining()) {
			return 0;
		}
		int before = src.position();
		SSLEngineResult result = wrap(src);
		if (result.getStatus() == Status.CLOSED) {
			throw new EOFException("TLS is closed");
		}
		flush(socket);
		return src.position() - before;
	}

	/**
	 * Returns whether wrapped bytes wait to be written.
	 * @return whether output is pending
	 */
	boolean hasPendingOutput() {
		return this.netOut.position() > 0;
	}

	/**
	 * Writes what is pending, as far as the socket takes it.
	 * @param socket the connection's socket
	 * @return whether nothing is pending any more
	 * @throws IOException if the socket failed
	 */
	boolean flush(LinuxSocket socket) throws IOException {
		if (this.netOut.position() == 0) {
			return true;
		}
		this.netOut.flip();
		try {
			int n = socket.write(this.netOut, this.netOut.position(), this.netOut.limit());
			if (n > 0) {
				this.netOut.position(this.netOut.position() + n);
				this.counters.sent(n);
			}
		}
		finally {
			this.netOut.compact();
		}
		return this.netOut.position() == 0;
	}

	/**
	 * Sends close_notify if the socket takes it now; the connection closes either way.
	 * @param socket the connection's socket
	 */
	void close(LinuxSocket socket) {
		try {
			this.engine.closeOutbound();
			if (flush(socket)) {
				wrap(EMPTY);
				flush(socket);
			}
		}
		catch (IOException | RuntimeException ex) {
			// Closing anyway: the peer sees the connection end without close_notify.
		}
	}

	private boolean needsMoreInput(SSLEngineResult result, HandshakeStatus status) {
		return result.getStatus() == Status.BUFFER_UNDERFLOW
				|| (result.bytesConsumed() == 0 && status != HandshakeStatus.NEED_UNWRAP_AGAIN);
	}

	/**
	 * Answers what the peer asked for after the handshake (a key update, a new session ticket).
	 */
	private void answerPostHandshake(LinuxSocket socket) throws IOException {
		HandshakeStatus status = this.engine.getHandshakeStatus();
		while (status == HandshakeStatus.NEED_TASK || status == HandshakeStatus.NEED_WRAP) {
			if (status == HandshakeStatus.NEED_TASK) {
				runTasks();
			}
			else {
				wrap(EMPTY);
				flush(socket);
			}
			status = this.engine.getHandshakeStatus();
		}
	}

	private int readSocket(LinuxSocket socket) throws IOException {
		if (!this.netIn.hasRemaining()) {
			this.netIn = grow(this.netIn, this.engine.getSession().getPacketBufferSize(), true);
		}
		int n = socket.read(this.netIn, this.netIn.position(), this.netIn.limit());
		if (n > 0) {
			this.netIn.position(this.netIn.position() + n);
			this.counters.received(n);
		}
		return n;
	}

	private SSLEngineResult unwrap() throws IOException {
		while (true) {
			this.netIn.flip();
			SSLEngineResult result;
			try {
				result = this.engine.unwrap(this.netIn, this.appIn);
			}
			finally {
				this.netIn.compact();
			}
			if (result.getStatus() != Status.BUFFER_OVERFLOW) {
				return result;
			}
			this.appIn = grow(this.appIn, this.engine.getSession().getApplicationBufferSize(), false);
		}
	}

	private SSLEngineResult wrap(ByteBuffer src) throws IOException {
		while (true) {
			SSLEngineResult result = this.engine.wrap(src, this.netOut);
			if (result.getStatus() != Status.BUFFER_OVERFLOW) {
				return result;
			}
			this.netOut = grow(this.netOut, this.engine.getSession().getPacketBufferSize(), true);
		}
	}

	private void runTasks() {
		Runnable task;
		while ((task = this.engine.getDelegatedTask()) != null) {
			task.run();
		}
	}

	private static ByteBuffer grow(ByteBuffer buffer, int by, boolean direct) {
		ByteBuffer bigger = direct ? ByteBuffer.allocateDirect(buffer.capacity() + by)
				: ByteBuffer.allocate(buffer.capacity() + by);
		buffer.flip();
		bigger.put(buffer);
		return bigger;
	}

}
