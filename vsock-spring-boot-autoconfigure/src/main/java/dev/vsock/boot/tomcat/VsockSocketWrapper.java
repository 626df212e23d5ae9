package dev.vsock.boot.tomcat;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.ServletConnection;

import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.FileDescriptor;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.net.ApplicationBufferHandler;
import org.apache.tomcat.util.net.SSLSupport;
import org.apache.tomcat.util.net.SendfileDataBase;
import org.apache.tomcat.util.net.SendfileState;
import org.apache.tomcat.util.net.SocketBufferHandler;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.jspecify.annotations.Nullable;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.VsockPeer;

/**
 * One vsock connection of a {@link VsockEndpoint}, as Tomcat's processors see it: its reads and
 * writes (blocking ones wait for the {@link VsockPoller} to report readiness, within their
 * timeouts), its epoll interest, its TLS and its peer, as {@code NioEndpoint.NioSocketWrapper} is.
 */
final class VsockSocketWrapper extends SocketWrapperBase<LinuxSocket> {

	private static final Log log = LogFactory.getLog(VsockSocketWrapper.class);

	private static final int MAX_TCP_PORT = 65535;

	private final VsockEndpoint endpoint;

	private final @Nullable VsockAddress remote;

	private final @Nullable VsockAddress local;

	private final ConnectionHandle handle = new ConnectionHandle();

	private volatile @Nullable IoRegistration registration;

	private final Object interestLock = new Object();

	private int interest;

	private final Object readLock = new Object();

	private volatile boolean readBlocking;

	private final Object writeLock = new Object();

	private volatile boolean writeBlocking;

	private volatile long lastRead = System.currentTimeMillis();

	private volatile long lastWrite = this.lastRead;

	private final @Nullable VsockTls tls;

	private volatile boolean handshakeDone;

	private @Nullable VsockServletConnection vsockConnection;

	/**
	 * Wraps a connection.
	 * @param remote the peer's address, {@code null} over hybrid vsock's Unix socket
	 * @param local this end's address, {@code null} over hybrid vsock's Unix socket
	 */
	VsockSocketWrapper(LinuxSocket socket, VsockEndpoint endpoint, SocketBufferHandler buffers,
			@Nullable VsockAddress remote, @Nullable VsockAddress local, @Nullable VsockTls tls) {
		super(socket, endpoint);
		this.endpoint = endpoint;
		this.remote = remote;
		this.local = local;
		this.socketBufferHandler = buffers;
		this.tls = tls;
		this.handshakeDone = (tls == null);
	}

	/**
	 * Goes on with the TLS handshake.
	 * @return 0 when done, {@link VsockTls#NEEDS_READ} or {@link VsockTls#NEEDS_WRITE} to wait,
	 * -1 when it failed
	 */
	int handshake(SocketEvent event) {
		VsockTls tls = this.tls;
		if (tls == null || this.handshakeDone) {
			return 0;
		}
		if (event == SocketEvent.STOP || event == SocketEvent.DISCONNECT || event == SocketEvent.ERROR) {
			return -1;
		}
		try {
			int result;
			synchronized (this.readLock) {
				synchronized (this.writeLock) {
					result = tls.handshake(openSocket());
				}
			}
			this.lastRead = System.currentTimeMillis();
			this.handshakeDone = (result == 0);
			if (this.handshakeDone) {
				// What ALPN chose: Tomcat hands the connection to that protocol's processor (h2).
				setNegotiatedProtocol(tls.applicationProtocol());
			}
			return result;
		}
		catch (IOException ex) {
			log.debug("TLS handshake failed on a vsock connection from "
					+ ((this.remote != null) ? this.remote : "the VMM (hybrid vsock)"), ex);
			return -1;
		}
	}

	@Override
	public boolean isReadyForRead() throws IOException {
		this.socketBufferHandler.configureReadBufferForRead();
		if (this.socketBufferHandler.getReadBuffer().remaining() > 0) {
			return true;
		}
		fillReadBuffer(false);
		return this.socketBufferHandler.getReadBuffer().position() > 0;
	}

	@Override
	public int read(boolean block, byte[] b, int off, int len) throws IOException {
		int n = populateReadBuffer(b, off, len);
		if (n > 0) {
			return n;
		}
		n = fillReadBuffer(block);
		this.lastRead = System.currentTimeMillis();
		if (n > 0) {
			this.socketBufferHandler.configureReadBufferForRead();
			n = Math.min(n, len);
			this.socketBufferHandler.getReadBuffer().get(b, off, n);
		}
		return n;
	}

	@Override
	public int read(boolean block, ByteBuffer to) throws IOException {
		int n = populateReadBuffer(to);
		if (n > 0) {
			return n;
		}
		int limit = this.socketBufferHandler.getReadBuffer().capacity();
		if (to.isDirect() && to.remaining() >= limit) {
			to.limit(to.position() + limit);
			n = fillReadBuffer(block, to);
			this.lastRead = System.currentTimeMillis();
		}
		else {
			n = fillReadBuffer(block);
			this.lastRead = System.currentTimeMillis();
			if (n > 0) {
				n = populateReadBuffer(to);
			}
		}
		return n;
	}

	private int fillReadBuffer(boolean block) throws IOException {
		this.socketBufferHandler.configureReadBufferForWrite();
		return fillReadBuffer(block, this.socketBufferHandler.getReadBuffer());
	}

	private int fillReadBuffer(boolean block, ByteBuffer buffer) throws IOException {
		if (!block) {
			synchronized (this.readLock) {
				return endOfStreamIsAnError(readNative(buffer));
			}
		}
		long timeout = getReadTimeout();
		long start = 0;
		while (true) {
			// As in NioEndpoint: a timeout of 0 or less waits for as long as it takes.
			if (start > 0 && timeout > 0) {
				timeout -= Math.max(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), 1);
				if (timeout <= 0) {
					throw new SocketTimeoutException();
				}
			}
			synchronized (this.readLock) {
				int n = endOfStreamIsAnError(readNative(buffer));
				if (n > 0) {
					return n;
				}
				if (!this.readBlocking) {
					this.readBlocking = true;
					registerReadInterest();
				}
				start = System.nanoTime();
				waitOn(this.readLock, timeout);
			}
		}
	}

	private static int endOfStreamIsAnError(int n) throws EOFException {
		if (n == -1) {
			throw new EOFException();
		}
		return n;
	}

	/**
	 * Reads what the socket has into the buffer, never blocking.
	 * @return the number of bytes read, 0 if none are there, -1 at the end of the stream
	 */
	private int readNative(ByteBuffer buffer) throws IOException {
		LinuxSocket socket = openSocket();
		if (this.tls != null) {
			// A read may have to answer the peer (a key update) into the output the writer uses.
			synchronized (this.writeLock) {
				return this.tls.read(socket, buffer);
			}
		}
		if (buffer.isDirect()) {
			int n = socket.read(buffer, buffer.position(), buffer.limit());
			if (log.isTraceEnabled()) {
				log.trace("Connection [" + this + "]: read [" + n + "] at [" + buffer.position() + "/"
						+ buffer.limit() + "]");
			}
			if (n > 0) {
				buffer.position(buffer.position() + n);
				this.endpoint.getAdmission().counters().received(n);
			}
			return n;
		}
		ByteBuffer direct = this.endpoint.takeCopyBuffer();
		try {
			int n = socket.read(direct, 0, Math.min(direct.capacity(), buffer.remaining()));
			if (n > 0) {
				buffer.put(direct.clear().limit(n));
				this.endpoint.getAdmission().counters().received(n);
			}
			return n;
		}
		finally {
			this.endpoint.giveBackCopyBuffer(direct);
		}
	}

	@Override
	public void setAppReadBufHandler(ApplicationBufferHandler handler) {
		// Only a TLS channel expands buffers on behalf of the application.
	}

	@Override
	protected boolean flushNonBlocking() throws IOException {
		boolean dataLeft = socketOrTlsBufferHasDataLeft();
		if (dataLeft) {
			doWrite(false);
			dataLeft = socketOrTlsBufferHasDataLeft();
		}
		if (!dataLeft && !this.nonBlockingWriteBuffer.isEmpty()) {
			dataLeft = this.nonBlockingWriteBuffer.write(this::writeFromBuffer, false);
			if (!dataLeft && socketOrTlsBufferHasDataLeft()) {
				doWrite(false);
				dataLeft = socketOrTlsBufferHasDataLeft();
			}
		}
		return dataLeft;
	}

	/**
	 * Returns whether TLS records wait to be written: Tomcat's buffers may be empty while they
	 * do (as with {@code SecureNioChannel}'s outbound buffer).
	 */
	private boolean outboundRemaining() {
		return this.tls != null && this.tls.hasPendingOutput();
	}

	private boolean socketOrTlsBufferHasDataLeft() {
		return !this.socketBufferHandler.isWriteBufferEmpty() || outboundRemaining();
	}

	@Override
	public boolean hasDataToWrite() {
		return super.hasDataToWrite() || outboundRemaining();
	}

	@Override
	public boolean canWrite() {
		return super.canWrite() && !outboundRemaining();
	}

	/**
	 * What Tomcat's {@code WriteBuffer} does for its own socket wrappers, through its public
	 * sink.
	 */
	private boolean writeFromBuffer(ByteBuffer buffer, boolean block) throws IOException {
		if (block) {
			writeBlocking(buffer);
		}
		else {
			writeNonBlockingInternal(buffer);
		}
		return buffer.hasRemaining();
	}

	@Override
	protected void doWrite(boolean block, ByteBuffer buffer) throws IOException {
		if (!block) {
			synchronized (this.writeLock) {
				int n;
				do {
					n = writeNative(buffer);
				}
				while (n > 0 && buffer.hasRemaining());
				if (!buffer.hasRemaining() && this.tls != null) {
					this.tls.flush(openSocket());
				}
			}
			this.lastWrite = System.currentTimeMillis();
			return;
		}
		if (this.previousIOException != null) {
			// A blocking write that timed out left the stream incomplete: better that the
			// client sees the connection drop than silently missing bytes.
			throw new IOException(this.previousIOException);
		}
		long timeout = getWriteTimeout();
		long start = 0;
		while (buffer.hasRemaining() || outboundRemaining()) {
			if (start > 0 && timeout > 0) {
				timeout -= Math.max(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), 1);
				if (timeout <= 0) {
					this.previousIOException = new SocketTimeoutException();
					throw this.previousIOException;
				}
			}
			synchronized (this.writeLock) {
				int n = writeNative(buffer);
				if (n > 0 || !(buffer.hasRemaining() || outboundRemaining())) {
					timeout = getWriteTimeout();
					start = 0;
					continue;
				}
				if (!this.writeBlocking) {
					this.writeBlocking = true;
					registerWriteInterest();
				}
				start = System.nanoTime();
				waitOn(this.writeLock, timeout);
			}
		}
		this.lastWrite = System.currentTimeMillis();
	}

	/**
	 * Writes what the socket takes from the buffer, never blocking.
	 * @return the number of bytes written, 0 if the socket takes none now
	 */
	private int writeNative(ByteBuffer buffer) throws IOException {
		LinuxSocket socket = openSocket();
		if (this.tls != null) {
			return this.tls.write(socket, buffer);
		}
		int n;
		if (buffer.isDirect()) {
			n = socket.write(buffer, buffer.position(), buffer.limit());
		}
		else {
			ByteBuffer direct = this.endpoint.takeCopyBuffer();
			try {
				int length = Math.min(direct.capacity(), buffer.remaining());
				direct.put(buffer.duplicate().limit(buffer.position() + length));
				n = socket.write(direct, 0, length);
			}
			finally {
				this.endpoint.giveBackCopyBuffer(direct);
			}
		}
		if (n > 0) {
			buffer.position(buffer.position() + n);
			this.endpoint.getAdmission().counters().sent(n);
		}
		return n;
	}

	private LinuxSocket openSocket() throws ClosedChannelException {
		// Checked under the read or write lock, which doClose also holds: a closed descriptor
		// number may already belong to another connection.
		if (isClosed()) {
			throw new ClosedChannelException();
		}
		return getSocket();
	}

	private static void waitOn(Object lock, long timeout) {
		try {
			if (timeout > 0) {
				lock.wait(timeout);
			}
			else {
				lock.wait();
			}
		}
		catch (InterruptedException ex) {
			// Most likely readiness; the caller checks and waits again if not.
		}
	}

	@Override
	public void registerReadInterest() {
		if (this.tls != null && this.handshakeDone && !this.readBlocking && tlsHasBufferedInput()) {
			// Already decrypted, or a whole record is buffered: epoll would not report it.
			if (!this.endpoint.processSocket(this, SocketEvent.OPEN_READ, true)) {
				close();
			}
			return;
		}
		arm(VsockPoller.EPOLLIN);
	}

	private boolean tlsHasBufferedInput() {
		synchronized (this.readLock) {
			try {
				return this.tls != null && !isClosed() && this.tls.hasBufferedInput();
			}
			catch (IOException ex) {
				// Let the read that follows readiness report it.
				return false;
			}
		}
	}

	@Override
	public void registerWriteInterest() {
		arm(VsockPoller.EPOLLOUT);
	}

	private void arm(int op) {
		synchronized (this.interestLock) {
			if (isClosed()) {
				return;
			}
			this.interest |= op;
			if (log.isTraceEnabled()) {
				log.trace("Connection [" + this + "]: armed [" + Integer.toHexString(this.interest) + "]");
			}
			submitInterest();
		}
	}

	private void submitInterest() {
		IoRegistration registration = this.registration;
		if (registration != null) {
			VsockPoller.arm(registration, this.interest);
		}
	}

	/**
	 * Registers the connection with the poller and arms it for reading, as a new connection is.
	 * @param poller the endpoint's poller
	 */
	void register(VsockPoller poller) {
		this.registration = poller.register(this.handle);
		registerReadInterest();
	}

	/**
	 * Returns whether the TLS handshake is done, or there is none.
	 * @return whether application data may flow
	 */
	boolean isHandshakeDone() {
		return this.handshakeDone;
	}

	/**
	 * Runs on the event loop when the socket is ready: like {@code NioEndpoint}'s poller, wakes a
	 * thread waiting in a blocking read or write, or hands the connection to the executor.
	 */
	private void ready(int ops) {
		if (log.isTraceEnabled()) {
			log.trace("Connection [" + this + "]: ready [" + Integer.toHexString(ops) + "], interest ["
					+ Integer.toHexString(this.interest) + "], readBlocking [" + this.readBlocking
					+ "], writeBlocking [" + this.writeBlocking + "]");
		}
		boolean failed = (ops & VsockPoller.FAILED) != 0;
		boolean read;
		boolean write;
		synchronized (this.interestLock) {
			read = (this.interest & VsockPoller.EPOLLIN) != 0 && (failed || (ops & VsockPoller.EPOLLIN) != 0);
			write = (this.interest & VsockPoller.EPOLLOUT) != 0 && (failed || (ops & VsockPoller.EPOLLOUT) != 0);
			if (read) {
				this.interest &= ~VsockPoller.EPOLLIN;
			}
			if (write) {
				this.interest &= ~VsockPoller.EPOLLOUT;
			}
			if (read || write) {
				submitInterest();
			}
		}
		boolean close = false;
		if (read) {
			if (this.readBlocking) {
				synchronized (this.readLock) {
					this.readBlocking = false;
					this.readLock.notifyAll();
				}
			}
			else if (!this.endpoint.processSocket(this, SocketEvent.OPEN_READ, true)) {
				close = true;
			}
		}
		if (write && !close) {
			if (this.writeBlocking) {
				synchronized (this.writeLock) {
					this.writeBlocking = false;
					this.writeLock.notifyAll();
				}
			}
			else if (!this.endpoint.processSocket(this, SocketEvent.OPEN_WRITE, true)) {
				close = true;
			}
		}
		if (close) {
			close();
		}
	}

	void checkTimeout(long now) {
		boolean timedOut;
		synchronized (this.interestLock) {
			if (this.interest == 0 || this.readBlocking || this.writeBlocking) {
				return;
			}
			long readTimeout = getReadTimeout();
			long writeTimeout = getWriteTimeout();
			timedOut = ((this.interest & VsockPoller.EPOLLIN) != 0 && readTimeout > 0 && now - this.lastRead > readTimeout)
					|| ((this.interest & VsockPoller.EPOLLOUT) != 0 && writeTimeout > 0
							&& now - this.lastWrite > writeTimeout);
			if (timedOut) {
				this.interest = 0;
				submitInterest();
			}
		}
		if (timedOut) {
			setError(new SocketTimeoutException());
			if (!this.endpoint.processSocket(this, SocketEvent.ERROR, true)) {
				close();
			}
		}
	}

	@Override
	protected void doClose() {
		this.endpoint.forget(getSocket());
		this.endpoint.getAdmission().release();
		IoRegistration registration = this.registration;
		if (registration != null) {
			registration.cancel();
		}
		synchronized (this.readLock) {
			synchronized (this.writeLock) {
				if (this.tls != null) {
					this.tls.close(getSocket());
				}
				VsockEndpoint.closeQuietly(getSocket());
				this.writeLock.notifyAll();
			}
			this.readLock.notifyAll();
		}
	}

	@Override
	public SendfileDataBase createSendfileData(String filename, long pos, long length) {
		throw new UnsupportedOperationException("The vsock endpoint does not offer sendfile");
	}

	@Override
	public SendfileState processSendfile(SendfileDataBase sendfileData) {
		return SendfileState.ERROR;
	}

	/**
	 * Returns Tomcat's servlet connection with the peer attached, in full; Tomcat's own over
	 * hybrid vsock's Unix socket, which has no peer CID.
	 */
	@Override
	public ServletConnection getServletConnection(String protocol, String protocolConnectionId) {
		VsockAddress remote = this.remote;
		VsockAddress local = this.local;
		if (remote == null || local == null) {
			return super.getServletConnection(protocol, protocolConnectionId);
		}
		VsockServletConnection connection = this.vsockConnection;
		if (connection == null) {
			connection = new VsockServletConnection(super.getServletConnection(protocol, protocolConnectionId),
					new VsockPeer(remote, local));
			this.vsockConnection = connection;
		}
		return connection;
	}

	/**
	 * Sets the remote address to the peer's CID written as an IPv6 literal in the discard-only
	 * prefix {@code 100::/64} (RFC 6666): CID 3 is {@code 100:0:0:0:0:0:0:3}, CID 2130706433 is
	 * {@code 100:0:0:0:0:0:7f00:1}. Code that turns the remote address into an
	 * {@code InetAddress} (Spring's {@code ServletServerHttpRequest}, {@code RemoteIpValve})
	 * needs a literal it can parse without a DNS look-up; the prefix is in no range that
	 * {@code RemoteIpValve} trusts as an internal proxy (an IPv4 literal was: CID 2130706433
	 * read as {@code 127.0.0.1}), and routes nowhere. Over hybrid vsock's Unix socket the peer
	 * is a guest behind the VMM whose CID is unknown: {@code 100:0:0:0:0:0:ffff:ffff}.
	 */
	@Override
	protected void populateRemoteAddr() {
		this.remoteAddr = ipLiteral(this.remote);
	}

	@Override
	protected void populateRemoteHost() {
		this.remoteHost = ipLiteral(this.remote);
	}

	/**
	 * Sets the remote port: the peer's port when it fits a TCP port, else 0. Ports the kernel
	 * picks for a connecting vsock socket mostly do not; {@link VsockPeer} has them in full.
	 */
	@Override
	protected void populateRemotePort() {
		this.remotePort = tcpPort(this.remote);
	}

	@Override
	protected void populateLocalName() {
		this.localName = ipLiteral(this.local);
	}

	@Override
	protected void populateLocalAddr() {
		this.localAddr = ipLiteral(this.local);
	}

	@Override
	protected void populateLocalPort() {
		this.localPort = tcpPort(this.local);
	}

	/**
	 * Returns the IP literal that stands for an address's CID, as {@link #populateRemoteAddr()}
	 * says.
	 * @param address the address, or {@code null} when the CID is unknown (hybrid vsock)
	 * @return the literal
	 */
	static String ipLiteral(@Nullable VsockAddress address) {
		long cid = (address != null) ? address.cid() : VsockAddress.CID_ANY;
		return "100:0:0:0:0:0:" + Long.toHexString(cid >>> 16) + ":" + Long.toHexString(cid & 0xFFFF);
	}

	private static int tcpPort(@Nullable VsockAddress address) {
		return (address != null && address.port() <= MAX_TCP_PORT) ? (int) address.port() : 0;
	}

	@Override
	public @Nullable SSLSupport getSslSupport() {
		VsockTls tls = this.tls;
		return (tls != null) ? this.endpoint.getSslImplementation().getSSLSupport(tls.session(), Map.of()) : null;
	}

	@Override
	public void doClientAuth(SSLSupport sslSupport) throws IOException {
		throw new IOException("The vsock endpoint does not renegotiate TLS for a client certificate:"
				+ " ask for client certificates up front (server.ssl.client-auth)");
	}

	@Override
	protected <A> OperationState<A> newOperationState(boolean read, ByteBuffer[] buffers, int offset, int length,
			BlockingMode block, long timeout, TimeUnit unit, A attachment, CompletionCheck check,
			CompletionHandler<Long, ? super A> handler, Semaphore semaphore,
			VectoredIOCompletionHandler<A> completion) {
		throw new UnsupportedOperationException("The vsock endpoint runs with useAsyncIO=false");
	}

	/**
	 * Epoll readiness of this connection.
	 */
	private final class ConnectionHandle implements EpollIoHandle {

		@Override
		public FileDescriptor fd() {
			return getSocket();
		}

		@Override
		public void handle(IoRegistration registration, IoEvent event) {
			ready(((EpollIoEvent) event).ops().value());
		}

		@Override
		public void close() {
			VsockSocketWrapper.this.close();
		}

	}

}
