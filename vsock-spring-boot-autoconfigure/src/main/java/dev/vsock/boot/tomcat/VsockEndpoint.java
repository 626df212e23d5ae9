package dev.vsock.boot.tomcat;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import jakarta.servlet.ServletConnection;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.ExceptionUtils;
import org.apache.tomcat.util.collections.SynchronizedStack;
import org.apache.tomcat.util.net.AbstractEndpoint;
import org.apache.tomcat.util.net.ApplicationBufferHandler;
import org.apache.tomcat.util.net.SSLSupport;
import org.apache.tomcat.util.net.SendfileDataBase;
import org.apache.tomcat.util.net.SendfileState;
import org.apache.tomcat.util.net.SocketBufferHandler;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketProcessorBase;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.jspecify.annotations.Nullable;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.VsockAllowedCids;
import dev.vsock.boot.VsockBindException;
import dev.vsock.boot.VsockPeer;
import dev.vsock.boot.hybrid.HybridVsockListenerSocket;
import dev.vsock.boot.netty.VsockNative;
import dev.vsock.boot.web.VsockAdmission;

/**
 * A Tomcat endpoint whose sockets are native AF_VSOCK sockets, read and written by Tomcat's
 * executor threads, with readiness from a Netty epoll event loop (one thread, no Netty
 * pipeline), as {@code NioEndpoint} has it from its poller.
 *
 * <p>Modelled on Tomcat's {@code NioEndpoint}: the acceptor thread accepts, each connection is
 * armed for {@code EPOLLIN} or {@code EPOLLOUT} only while Tomcat has asked for it
 * ({@link SocketWrapperBase#registerReadInterest()}), and a ready connection is either handed
 * to the executor or, when a thread waits in a blocking read or write, woken. TLS runs through a
 * {@link VsockTls} per connection. Asynchronous I/O (Tomcat's {@code useAsyncIO}) and sendfile
 * are not offered.
 *
 * <p>For the host side of hybrid vsock ({@link #setHybridListener(HybridVsockListenerSocket)})
 * the listening socket is a Unix socket instead, driven the same way; its connections come from
 * the VMM and have no {@link VsockPeer}.
 */
public class VsockEndpoint extends AbstractEndpoint<LinuxSocket, LinuxSocket> {

	private static final Log log = LogFactory.getLog(VsockEndpoint.class);

	private static final int EPOLLIN = EpollIoOps.EPOLLIN.value();

	private static final int EPOLLOUT = EpollIoOps.EPOLLOUT.value();

	private static final int EPOLLET = EpollIoOps.EPOLLET.value();

	/** {@code EPOLLHUP} from {@code <sys/epoll.h>}: Netty's {@code EpollIoOps} has no constant for it. */
	private static final int EPOLLHUP = 0x010;

	private static final int FAILED = EpollIoOps.EPOLLERR.value() | EPOLLHUP;

	private static final int MAX_TCP_PORT = 65535;

	/** Size of the direct buffers the native calls copy through when Tomcat hands them a heap buffer. */
	private static final int COPY_BUFFER_SIZE = 64 * 1024;

	private VsockAddress vsockAddress = VsockAddress.of(VsockAddress.CID_ANY, VsockAddress.PORT_ANY);

	private volatile VsockAdmission admission = new VsockAdmission(VsockAllowedCids.ANY, 0);

	/**
	 * The direct buffers reads and writes copy through, shared by the connections, as the JDK's
	 * NIO shares its temporary direct buffers: an idle connection holds none.
	 */
	private final SynchronizedStack<ByteBuffer> copyBuffers = new SynchronizedStack<>(SynchronizedStack.DEFAULT_SIZE,
			256);

	private final Object acceptLock = new Object();

	private final Semaphore acceptReady = new Semaphore(0);

	private final AtomicBoolean unlockRequested = new AtomicBoolean();

	/** {@code accept(2)} fills in no usable address for AF_VSOCK: the peer is read with getpeername. */
	private final byte[] acceptedAddress = new byte[32];

	private volatile @Nullable LinuxSocket serverSocket;

	private volatile @Nullable VsockAddress boundAddress;

	private volatile @Nullable VsockBindException bindFailure;

	private volatile @Nullable HybridVsockListenerSocket hybridListener;

	private volatile @Nullable MultiThreadIoEventLoopGroup poller;

	private volatile @Nullable IoEventLoop loop;

	private volatile @Nullable IoRegistration acceptRegistration;

	private volatile @Nullable ScheduledFuture<?> timeouts;

	/**
	 * Creates an endpoint for any local CID and a port the kernel picks, until
	 * {@link #setVsockAddress(VsockAddress)} says otherwise.
	 */
	public VsockEndpoint() {
		setUseAsyncIO(false);
		setUseSendfile(false);
	}

	/**
	 * Sets the address to listen on; port {@link VsockAddress#PORT_ANY} lets the kernel pick one.
	 * @param address the address
	 */
	public void setVsockAddress(VsockAddress address) {
		this.vsockAddress = Objects.requireNonNull(address, "address");
	}

	/**
	 * Sets who may connect: peers whose CID is not allowed, and connections over the limit, are
	 * closed at once, before a byte is read.
	 * @param admission the admission rules
	 */
	public void setAdmission(VsockAdmission admission) {
		this.admission = Objects.requireNonNull(admission, "admission");
	}

	/**
	 * Returns who may connect, with the counts of connections and bytes.
	 * @return the admission rules
	 */
	public VsockAdmission getAdmission() {
		return this.admission;
	}

	/**
	 * Makes the endpoint the host side of hybrid vsock: it listens on the given Unix socket, where
	 * the VMM forwards the guest's connections to the host, instead of on AF_VSOCK.
	 * @param listener the Unix socket, or {@code null} to listen on AF_VSOCK
	 */
	public void setHybridListener(@Nullable HybridVsockListenerSocket listener) {
		this.hybridListener = listener;
	}

	/**
	 * Returns the Unix socket the endpoint listens on as hybrid vsock's host side.
	 * @return the socket, or {@code null} when it listens on AF_VSOCK
	 */
	public @Nullable HybridVsockListenerSocket getHybridListener() {
		return this.hybridListener;
	}

	/**
	 * Returns the address the endpoint listens on: the port read back from the kernel once it is
	 * bound, the configured address before.
	 * @return the address
	 */
	public VsockAddress getVsockAddress() {
		VsockAddress bound = this.boundAddress;
		if (bound != null) {
			return bound;
		}
		HybridVsockListenerSocket hybrid = this.hybridListener;
		return (hybrid != null) ? hybrid.vsockAddress() : this.vsockAddress;
	}

	/**
	 * Returns why the last bind failed, so that a server can report the vsock address rather
	 * than Tomcat's generic connector failure.
	 * @return the failure, or {@code null} if the last bind succeeded or none was tried
	 */
	public @Nullable VsockBindException getBindFailure() {
		return this.bindFailure;
	}

	/**
	 * Returns whether the endpoint accepts connections right now.
	 * @return whether it is listening
	 */
	public boolean isListening() {
		return this.serverSocket != null && isRunning() && !isPaused();
	}

	/**
	 * Returns an id made of the vsock address, which Tomcat's {@code Connector} requires of an
	 * endpoint that has no TCP port.
	 */
	@Override
	public String getId() {
		VsockAddress address = getVsockAddress();
		return "vsock-" + address.cidText() + "-" + (address.isAnyPort() ? "any" : Long.toString(address.port()));
	}

	@Override
	public void bind() throws Exception {
		refuseIfSet("useAsyncIO", getUseAsyncIO(), "Tomcat's asynchronous socket I/O");
		refuseIfSet("useSendfile", getUseSendfile(), "sendfile is not in Netty's public API");
		initialiseSsl();
		HybridVsockListenerSocket hybrid = this.hybridListener;
		if (hybrid != null) {
			this.serverSocket = hybrid.listen(backlog());
			this.bindFailure = null;
			this.boundAddress = hybrid.vsockAddress();
			return;
		}
		LinuxSocket socket = VsockNative.newStreamSocket();
		try {
			VsockNative.bind(socket, this.vsockAddress);
			socket.listen(backlog());
		}
		catch (VsockBindException ex) {
			closeQuietly(socket);
			this.bindFailure = ex;
			throw ex;
		}
		catch (IOException ex) {
			closeQuietly(socket);
			throw ex;
		}
		this.bindFailure = null;
		this.boundAddress = VsockNative.localAddress(socket);
		this.serverSocket = socket;
	}

	/**
	 * Returns the listen backlog: Tomcat's {@code acceptCount}, but never less than the kernel's
	 * {@code somaxconn}, as Reactor Netty's vsock listener has it. When the backlog is full, vsock
	 * answers a connection request with a reset, where TCP lets the client try again: a burst of
	 * connections would be refused, not made to wait.
	 */
	private int backlog() {
		return Math.max(getAcceptCount(), NetUtil.SOMAXCONN);
	}

	private static void refuseIfSet(String setting, boolean set, String what) {
		if (set) {
			throw new IllegalStateException("The vsock connector does not offer " + setting + "=true (" + what
					+ "): leave " + setting + " unset for it (it is set by a connector customizer or"
					+ " a connector property)");
		}
	}

	@Override
	public void startInternal() throws Exception {
		if (this.running) {
			return;
		}
		this.running = true;
		this.paused = false;
		if (this.socketProperties.getProcessorCache() != 0) {
			this.processorCache = new SynchronizedStack<>(SynchronizedStack.DEFAULT_SIZE,
					this.socketProperties.getProcessorCache());
		}
		if (getExecutor() == null) {
			createExecutor();
		}
		initializeConnectionLatch();
		MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
				new DefaultThreadFactory(getName() + "-Poller", true), EpollIoHandler.newFactory());
		IoEventLoop eventLoop = (IoEventLoop) group.next();
		this.poller = group;
		this.loop = eventLoop;
		LinuxSocket socket = Objects.requireNonNull(this.serverSocket, "not bound");
		this.acceptRegistration = eventLoop.register(new AcceptHandle(socket)).syncUninterruptibly().getNow();
		long interval = Math.max(this.socketProperties.getTimeoutInterval(), 100);
		this.timeouts = eventLoop.scheduleAtFixedRate(this::checkTimeouts, interval, interval, TimeUnit.MILLISECONDS);
		startAcceptorThread();
	}

	@Override
	public void stopInternal() throws Exception {
		if (!this.paused) {
			pause();
		}
		if (!this.running) {
			return;
		}
		this.running = false;
		this.acceptor.stopMillis(100 + 2 * getSocketProperties().getUnlockTimeout());
		for (SocketWrapperBase<LinuxSocket> wrapper : this.connections.values()) {
			wrapper.close();
		}
		ScheduledFuture<?> timeouts = this.timeouts;
		if (timeouts != null) {
			timeouts.cancel(false);
		}
		MultiThreadIoEventLoopGroup group = this.poller;
		this.poller = null;
		this.loop = null;
		if (group != null) {
			group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
		}
		shutdownExecutor();
		if (this.processorCache != null) {
			this.processorCache.clear();
			this.processorCache = null;
		}
	}

	@Override
	public void unbind() throws Exception {
		if (this.running) {
			stop();
		}
		doCloseServerSocket();
		destroySsl();
		super.unbind();
		if (getHandler() != null) {
			getHandler().recycle();
		}
	}

	@Override
	protected void doCloseServerSocket() throws IOException {
		synchronized (this.acceptLock) {
			LinuxSocket socket = this.serverSocket;
			this.serverSocket = null;
			IoRegistration registration = this.acceptRegistration;
			this.acceptRegistration = null;
			if (registration != null) {
				registration.cancel();
			}
			if (socket != null) {
				socket.close();
				HybridVsockListenerSocket hybrid = this.hybridListener;
				if (hybrid != null) {
					hybrid.remove();
				}
			}
		}
		this.acceptReady.release();
	}

	/**
	 * Wakes the acceptor thread, which waits for readiness rather than in {@code accept(2)}; the
	 * base class would open a TCP connection to the listener instead.
	 */
	@Override
	protected void unlockAccept() {
		this.unlockRequested.set(true);
		this.acceptReady.release();
	}

	/**
	 * Waits until a connection can be accepted and accepts it.
	 * @return the accepted socket, or {@code null} when the acceptor was woken to stop or pause
	 */
	@Override
	protected @Nullable LinuxSocket serverSocketAccept() throws Exception {
		while (true) {
			int fd;
			synchronized (this.acceptLock) {
				LinuxSocket socket = this.serverSocket;
				IoRegistration registration = this.acceptRegistration;
				if (socket == null || registration == null) {
					return null;
				}
				fd = socket.accept(this.acceptedAddress);
				if (fd < 0) {
					// Edge-triggered and re-armed after each empty accept: a connection that arrived
					// in between is reported by epoll_ctl itself.
					registration.submit(EpollIoOps.valueOf(EPOLLIN | EPOLLET));
				}
			}
			if (fd >= 0) {
				return LinuxSocket.newSocket(fd);
			}
			if (this.unlockRequested.getAndSet(false)) {
				return null;
			}
			this.acceptReady.acquire();
			if (this.unlockRequested.getAndSet(false)) {
				return null;
			}
		}
	}

	@Override
	protected boolean setSocketOptions(@Nullable LinuxSocket socket) {
		if (socket == null) {
			// The acceptor was woken without a connection (see serverSocketAccept).
			countDownConnection();
			return false;
		}
		VsockSocketWrapper wrapper = null;
		boolean admitted = false;
		try {
			// Over hybrid vsock's Unix socket the peer is the VMM: there is no CID to read or check.
			boolean vsock = this.hybridListener == null;
			VsockAddress remote = vsock ? VsockNative.remoteAddress(socket) : null;
			VsockAddress local = vsock ? VsockNative.localAddress(socket) : null;
			IoEventLoop eventLoop = this.loop;
			if (eventLoop == null || (vsock && (remote == null || local == null))) {
				// The endpoint is stopping, or the peer is gone already (getpeername failed).
				destroySocket(socket);
				return false;
			}
			admitted = this.admission.admit(remote, getVsockAddress());
			if (!admitted) {
				destroySocket(socket);
				return false;
			}
			// Heap buffers unless socket.directBuffer says otherwise, as on Tomcat's NIO connector.
			SocketBufferHandler buffers = new SocketBufferHandler(this.socketProperties.getAppReadBufSize(),
					this.socketProperties.getAppWriteBufSize(), this.socketProperties.getDirectBuffer());
			VsockTls tls = isSSLEnabled() ? new VsockTls(this::createSSLEngine, getSniParseLimit(),
					this.admission.counters()) : null;
			wrapper = new VsockSocketWrapper(socket, this, buffers, remote, local, tls);
			this.connections.put(socket, wrapper);
			wrapper.setReadTimeout(getConnectionTimeout());
			wrapper.setWriteTimeout(getConnectionTimeout());
			wrapper.setKeepAliveLeft(getMaxKeepAliveRequests());
			wrapper.registration = eventLoop.register(wrapper.handle).syncUninterruptibly().getNow();
			wrapper.registerReadInterest();
			return true;
		}
		catch (Throwable ex) {
			ExceptionUtils.handleThrowable(ex);
			log.error("Failed to set up the accepted vsock connection", ex);
			if (wrapper == null) {
				if (admitted) {
					this.admission.release();
				}
				destroySocket(socket);
			}
		}
		return false;
	}

	@Override
	protected void closeSocket(@Nullable LinuxSocket socket) {
		if (socket != null) {
			super.closeSocket(socket);
		}
	}

	@Override
	protected void destroySocket(@Nullable LinuxSocket socket) {
		countDownConnection();
		if (socket != null) {
			closeQuietly(socket);
		}
	}

	/**
	 * Returns {@code null}: the endpoint has no IP address, so Tomcat reports its local port as
	 * -1; the vsock address is {@link #getVsockAddress()}.
	 */
	@Override
	protected @Nullable InetSocketAddress getLocalAddress() {
		return null;
	}

	@Override
	protected Log getLog() {
		return log;
	}

	@Override
	protected SocketProcessorBase<LinuxSocket> createSocketProcessor(SocketWrapperBase<LinuxSocket> socketWrapper,
			SocketEvent event) {
		return new SocketProcessor(socketWrapper, event);
	}

	/**
	 * Runs on the event loop: ends the wait of connections whose read or write interest outlived
	 * the read or write timeout, as {@code NioEndpoint}'s poller does. Threads blocked in a read or
	 * write time themselves out.
	 */
	private void checkTimeouts() {
		long now = System.currentTimeMillis();
		forEachConnection(this.connections.values(), (wrapper) -> ((VsockSocketWrapper) wrapper).checkTimeout(now));
	}

	/**
	 * Runs the action for each connection; one that fails is logged and the others still run.
	 * The periodic timeout check runs through here: an exception escaping it would cancel every
	 * later run, and with them every read, write and keep-alive timeout of the endpoint.
	 * @param <C> the type of connection
	 * @param connections the connections
	 * @param action what to do with each
	 */
	static <C> void forEachConnection(Iterable<C> connections, Consumer<C> action) {
		for (C connection : connections) {
			try {
				action.accept(connection);
			}
			catch (RuntimeException ex) {
				log.warn("Failed to check the timeouts of vsock connection [" + connection + "]", ex);
			}
		}
	}

	/**
	 * Takes a cleared copy buffer from the shared ones, or a new one when none is free; the caller
	 * gives it back to {@link #copyBuffers} when its native call is done.
	 */
	private ByteBuffer takeCopyBuffer() {
		ByteBuffer buffer = this.copyBuffers.pop();
		return (buffer != null) ? buffer.clear() : ByteBuffer.allocateDirect(COPY_BUFFER_SIZE);
	}

	private static void closeQuietly(FileDescriptor socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			log.debug("Failed to close a vsock socket", ex);
		}
	}

	/**
	 * Epoll readiness of the listening socket: wakes the acceptor thread.
	 */
	private final class AcceptHandle implements EpollIoHandle {

		private final LinuxSocket socket;

		AcceptHandle(LinuxSocket socket) {
			this.socket = socket;
		}

		@Override
		public FileDescriptor fd() {
			return this.socket;
		}

		@Override
		public void handle(IoRegistration registration, IoEvent event) {
			VsockEndpoint.this.acceptReady.release();
		}

		@Override
		public void close() {
			// The endpoint closes the listening socket.
		}

	}

	/**
	 * Runs Tomcat's connection handler for one event of one connection on an executor thread.
	 */
	private final class SocketProcessor extends SocketProcessorBase<LinuxSocket> {

		SocketProcessor(SocketWrapperBase<LinuxSocket> socketWrapper, SocketEvent event) {
			super(socketWrapper, event);
		}

		@Override
		protected void doRun() {
			try {
				if (VsockEndpoint.this.poller == null) {
					this.socketWrapper.close();
					return;
				}
				VsockSocketWrapper wrapper = (VsockSocketWrapper) this.socketWrapper;
				SocketEvent event = Objects.requireNonNullElse(this.event, SocketEvent.OPEN_READ);
				if (!wrapper.handshakeDone) {
					int handshake = wrapper.handshake(event);
					if (handshake == VsockTls.NEEDS_READ) {
						wrapper.registerReadInterest();
						return;
					}
					if (handshake == VsockTls.NEEDS_WRITE) {
						wrapper.registerWriteInterest();
						return;
					}
					if (handshake < 0) {
						getHandler().process(wrapper, SocketEvent.CONNECT_FAIL);
						wrapper.close();
						return;
					}
					// The handshake happens when the connection opens: what follows is a read.
					event = SocketEvent.OPEN_READ;
				}
				Handler.SocketState state = getHandler().process(wrapper, event);
				if (state == Handler.SocketState.CLOSED) {
					wrapper.close();
				}
			}
			catch (VirtualMachineError ex) {
				ExceptionUtils.handleThrowable(ex);
			}
			catch (Throwable ex) {
				log.error("Failed to process a vsock connection", ex);
				this.socketWrapper.close();
			}
			finally {
				this.socketWrapper = null;
				this.event = null;
				if (VsockEndpoint.this.running && VsockEndpoint.this.processorCache != null) {
					VsockEndpoint.this.processorCache.push(this);
				}
			}
		}

	}

	/**
	 * One vsock connection, as Tomcat's processors see it.
	 */
	static final class VsockSocketWrapper extends SocketWrapperBase<LinuxSocket> {

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
		private int handshake(SocketEvent event) {
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
					this.endpoint.admission.counters().received(n);
				}
				return n;
			}
			ByteBuffer direct = this.endpoint.takeCopyBuffer();
			try {
				int n = socket.read(direct, 0, Math.min(direct.capacity(), buffer.remaining()));
				if (n > 0) {
					buffer.put(direct.clear().limit(n));
					this.endpoint.admission.counters().received(n);
				}
				return n;
			}
			finally {
				this.endpoint.copyBuffers.push(direct);
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
					this.endpoint.copyBuffers.push(direct);
				}
			}
			if (n > 0) {
				buffer.position(buffer.position() + n);
				this.endpoint.admission.counters().sent(n);
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
			arm(EPOLLIN);
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
			arm(EPOLLOUT);
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
			if (registration == null) {
				return;
			}
			try {
				// Edge-triggered: re-arming with epoll_ctl reports a socket that is ready already,
				// and an event reported while nobody asked for it does not repeat.
				registration.submit(EpollIoOps.valueOf(this.interest | EPOLLET));
			}
			catch (UncheckedIOException ex) {
				log.debug("Failed to change the epoll interest of a closed vsock connection", ex);
			}
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
			boolean failed = (ops & FAILED) != 0;
			boolean read;
			boolean write;
			synchronized (this.interestLock) {
				read = (this.interest & EPOLLIN) != 0 && (failed || (ops & EPOLLIN) != 0);
				write = (this.interest & EPOLLOUT) != 0 && (failed || (ops & EPOLLOUT) != 0);
				if (read) {
					this.interest &= ~EPOLLIN;
				}
				if (write) {
					this.interest &= ~EPOLLOUT;
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

		private void checkTimeout(long now) {
			boolean timedOut;
			synchronized (this.interestLock) {
				if (this.interest == 0 || this.readBlocking || this.writeBlocking) {
					return;
				}
				long readTimeout = getReadTimeout();
				long writeTimeout = getWriteTimeout();
				timedOut = ((this.interest & EPOLLIN) != 0 && readTimeout > 0 && now - this.lastRead > readTimeout)
						|| ((this.interest & EPOLLOUT) != 0 && writeTimeout > 0
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
			this.endpoint.connections.remove(getSocket());
			this.endpoint.admission.release();
			IoRegistration registration = this.registration;
			if (registration != null) {
				registration.cancel();
			}
			synchronized (this.readLock) {
				synchronized (this.writeLock) {
					if (this.tls != null) {
						this.tls.close(getSocket());
					}
					closeQuietly(getSocket());
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

}
