package dev.vsock.boot.tomcat;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

import io.netty.channel.epoll.LinuxSocket;
import org.apache.tomcat.util.net.TLSClientHelloExtractor;
import org.apache.tomcat.util.net.openssl.ciphers.Cipher;
import org.apache.tomcat.util.net.openssl.ciphers.Group;
import org.apache.tomcat.util.net.openssl.ciphers.SignatureScheme;
import org.jspecify.annotations.Nullable;

import dev.vsock.boot.web.VsockConnectionCounters;

/**
 * TLS on one vsock connection: an {@link SSLEngine} between Tomcat's plain-text reads and writes
 * and the socket, never blocking (the connection waits for readiness as it does without TLS).
 * What Tomcat's {@code SecureNioChannel} does for NIO, which vsock sockets cannot use: the engine
 * is made once the client's hello is read, for the host name it asks for (SNI) and with the
 * application protocols it offers (ALPN, so that h2 is negotiated). When the handshake fails, the
 * connection's close sends the peer the engine's alert ({@link #close(LinuxSocket)}).
 *
 * <p>Not thread-safe: the handshake runs under the connection's read and write locks, writes under
 * its write lock, and reads under both, since a read may have to answer the peer (a key update).
 */
final class VsockTls {

	/** The handshake needs the socket to become readable. */
	static final int NEEDS_READ = 1;

	/** The handshake needs the socket to become writable. */
	static final int NEEDS_WRITE = 2;

	private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

	/** The size of the largest TLS record, which the client's hello is read into first. */
	private static final int RECORD_SIZE = 16 * 1024 + 325;

	private final Engines engines;

	private final int helloLimit;

	private final VsockConnectionCounters counters;

	/** Made once the client's hello is read. */
	private @Nullable SSLEngine engine;

	/** Bytes from the socket not yet unwrapped, in write mode. */
	private ByteBuffer netIn = ByteBuffer.allocateDirect(RECORD_SIZE);

	/** Bytes wrapped and not yet written to the socket, in write mode. */
	private ByteBuffer netOut = ByteBuffer.allocateDirect(0);

	/** Plain text unwrapped and not yet read by Tomcat, in write mode. */
	private ByteBuffer appIn = ByteBuffer.allocate(0);

	/**
	 * Creates the TLS side of a connection.
	 * @param engines makes the engine from what the client's hello asks for
	 * @param helloLimit how many bytes of the client's hello are read to find what it asks for
	 * (Tomcat's {@code sniParseLimit}); past it, the default host and no protocol are assumed
	 * @param counters where the bytes on the wire are counted
	 */
	VsockTls(Engines engines, int helloLimit, VsockConnectionCounters counters) {
		this.engines = engines;
		this.helloLimit = helloLimit;
		this.counters = counters;
	}

	/**
	 * Returns the TLS session, for Tomcat's {@code SSLSupport}.
	 * @return the session
	 */
	SSLSession session() {
		return engine().getSession();
	}

	/**
	 * Returns the application protocol negotiated with ALPN.
	 * @return the protocol, for example {@code h2}, or {@code null} (or empty) when none was
	 */
	@Nullable String applicationProtocol() {
		return engine().getApplicationProtocol();
	}

	private SSLEngine engine() {
		SSLEngine engine = this.engine;
		if (engine == null) {
			throw new IllegalStateException("The TLS handshake has not started");
		}
		return engine;
	}

	/**
	 * Reads the client's hello and makes the engine for what it asks for, as Tomcat's
	 * {@code SecureNioChannel.processSNI} does.
	 * @return 0 once the engine is made, else {@link #NEEDS_READ}
	 */
	private int readClientHello(LinuxSocket socket) throws IOException {
		while (true) {
			int n = readSocket(socket);
			if (n < 0) {
				throw new EOFException("The peer closed the connection before its TLS hello");
			}
			TLSClientHelloExtractor hello = new TLSClientHelloExtractor(this.netIn);
			switch (hello.getResult()) {
				case NEED_READ -> {
					return NEEDS_READ;
				}
				case UNDERFLOW -> {
					if (this.netIn.capacity() < this.helloLimit) {
						this.netIn = grow(this.netIn, Math.min(this.netIn.capacity(), this.helloLimit), true);
						continue;
					}
					start(this.engines.create(null, List.of(), List.of(), List.of(), List.of(), List.of()));
					return 0;
				}
				case NON_SECURE -> {
					// Plain HTTP on the TLS listener: tell the client, as Tomcat's own connector does.
					ByteBuffer useTls = ByteBuffer.allocateDirect(TLSClientHelloExtractor.USE_TLS_RESPONSE.length)
						.put(TLSClientHelloExtractor.USE_TLS_RESPONSE)
						.flip();
					socket.write(useTls, 0, useTls.limit());
					throw new SSLException("A plain-text request on the TLS listener");
				}
				default -> {
					start(this.engines.create(hello.getSNIValue(), hello.getClientRequestedCiphers(),
							hello.getClientRequestedApplicationProtocols(), hello.getClientRequestedProtocols(),
							hello.getClientSupportedGroups(), hello.getClientSignatureSchemes()));
					return 0;
				}
			}
		}
	}

	private void start(SSLEngine engine) throws SSLException {
		this.engine = engine;
		// A server engine reports NOT_HANDSHAKING until told: the handshake loop must see NEED_UNWRAP.
		engine.beginHandshake();
		SSLSession session = engine.getSession();
		if (this.netIn.capacity() < session.getPacketBufferSize()) {
			this.netIn = grow(this.netIn, session.getPacketBufferSize() - this.netIn.capacity(), true);
		}
		this.netOut = ByteBuffer.allocateDirect(session.getPacketBufferSize());
		this.appIn = ByteBuffer.allocate(session.getApplicationBufferSize());
	}

	/**
	 * Goes on with the handshake as far as the socket allows.
	 * @param socket the connection's socket
	 * @return 0 once the handshake is done, else {@link #NEEDS_READ} or {@link #NEEDS_WRITE}
	 * @throws IOException if the handshake failed or the peer went away
	 */
	int handshake(LinuxSocket socket) throws IOException {
		if (this.engine == null && readClientHello(socket) != 0) {
			return NEEDS_READ;
		}
		SSLEngine engine = engine();
		while (true) {
			if (!flush(socket)) {
				return NEEDS_WRITE;
			}
			HandshakeStatus status = engine.getHandshakeStatus();
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
			if (engine().isInboundDone()) {
				return -1;
			}
			HandshakeStatus before = engine().getHandshakeStatus();
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
		if (this.engine == null) {
			return;
		}
		try {
			engine().closeOutbound();
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
		HandshakeStatus status = engine().getHandshakeStatus();
		while (status == HandshakeStatus.NEED_TASK || status == HandshakeStatus.NEED_WRAP) {
			if (status == HandshakeStatus.NEED_TASK) {
				runTasks();
			}
			else {
				wrap(EMPTY);
				flush(socket);
			}
			status = engine().getHandshakeStatus();
		}
	}

	private int readSocket(LinuxSocket socket) throws IOException {
		if (!this.netIn.hasRemaining()) {
			this.netIn = grow(this.netIn, (this.engine != null) ? this.engine.getSession().getPacketBufferSize()
					: RECORD_SIZE, true);
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
				result = engine().unwrap(this.netIn, this.appIn);
			}
			finally {
				this.netIn.compact();
			}
			if (result.getStatus() != Status.BUFFER_OVERFLOW) {
				return result;
			}
			this.appIn = grow(this.appIn, engine().getSession().getApplicationBufferSize(), false);
		}
	}

	private SSLEngineResult wrap(ByteBuffer src) throws IOException {
		while (true) {
			SSLEngineResult result = engine().wrap(src, this.netOut);
			if (result.getStatus() != Status.BUFFER_OVERFLOW) {
				return result;
			}
			this.netOut = grow(this.netOut, engine().getSession().getPacketBufferSize(), true);
		}
	}

	private void runTasks() {
		Runnable task;
		while ((task = engine().getDelegatedTask()) != null) {
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

	/**
	 * Makes the engine of a connection from what the client's hello asks for: Tomcat's
	 * {@code AbstractEndpoint.createSSLEngine}.
	 */
	@FunctionalInterface
	interface Engines {

		SSLEngine create(@Nullable String hostName, List<Cipher> ciphers, List<String> applicationProtocols,
				List<String> protocols, List<Group> groups, List<SignatureScheme> signatureSchemes);

	}

}
