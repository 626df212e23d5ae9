package dev.vsock.boot.tomcat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.NetUtil;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.ExceptionUtils;
import org.apache.tomcat.util.collections.SynchronizedStack;
import org.apache.tomcat.util.net.AbstractEndpoint;
import org.apache.tomcat.util.net.SocketBufferHandler;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketProcessorBase;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.jspecify.annotations.Nullable;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.VsockAllowedCids;
import dev.vsock.boot.VsockBindException;
import dev.vsock.boot.VsockPeer;
import dev.vsock.boot.netty.AfVsockListenerSocket;
import dev.vsock.boot.netty.VsockListenerSocket;
import dev.vsock.boot.web.VsockAdmission;

/**
 * A Tomcat endpoint whose sockets are native AF_VSOCK sockets, read and written by Tomcat's
 * executor threads, with readiness from a Netty epoll event loop (one thread, no Netty
 * pipeline), as {@code NioEndpoint} has it from its poller.
 *
 * <p>Split as Tomcat's {@code NioEndpoint} is: this endpoint binds, accepts (on Tomcat's acceptor
 * thread), admits and runs the endpoint's life cycle; the {@link VsockPoller} waits for readiness
 * and checks timeouts; a {@link VsockSocketWrapper} is one connection, armed for {@code EPOLLIN}
 * or {@code EPOLLOUT} only while Tomcat has asked for it
 * ({@link SocketWrapperBase#registerReadInterest()}), and, when ready, handed to the executor or,
 * when a thread waits in a blocking read or write, woken. TLS runs through a {@link VsockTls} per
 * connection. Asynchronous I/O (Tomcat's {@code useAsyncIO}) and sendfile are not offered.
 *
 * <p>The listening socket ({@link VsockListenerSocket}) may be hybrid vsock's Unix socket instead,
 * driven the same way; its connections come from the VMM and have no {@link VsockPeer}.
 */
public class VsockEndpoint extends AbstractEndpoint<LinuxSocket, LinuxSocket> {

	private static final Log log = LogFactory.getLog(VsockEndpoint.class);

	/** Size of the direct buffers the native calls copy through when Tomcat hands them a heap buffer. */
	private static final int COPY_BUFFER_SIZE = 64 * 1024;

	private VsockListenerSocket listenerSocket = new AfVsockListenerSocket(
			VsockAddress.of(VsockAddress.CID_ANY, VsockAddress.PORT_ANY));

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

	private volatile @Nullable VsockBindException bindFailure;

	private volatile @Nullable VsockPoller poller;

	private volatile @Nullable IoRegistration acceptRegistration;

	/**
	 * Creates an endpoint for any local CID and a port the kernel picks, until
	 * {@link #setListenerSocket(VsockListenerSocket)} says otherwise.
	 */
	public VsockEndpoint() {
		setUseAsyncIO(false);
		setUseSendfile(false);
	}

	/**
	 * Sets the socket to listen on: AF_VSOCK, or hybrid vsock's Unix socket.
	 * @param listenerSocket the listener's socket
	 */
	public void setListenerSocket(VsockListenerSocket listenerSocket) {
		this.listenerSocket = Objects.requireNonNull(listenerSocket, "listenerSocket");
	}

	/**
	 * Returns the socket the endpoint listens on.
	 * @return the listener's socket
	 */
	public VsockListenerSocket getListenerSocket() {
		return this.listenerSocket;
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
	 * Returns the address the endpoint listens on: the port read back from the kernel once it is
	 * bound, the configured address before.
	 * @return the address
	 */
	public VsockAddress getVsockAddress() {
		return this.listenerSocket.address();
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
		try {
			this.serverSocket = this.listenerSocket.listen(backlog());
			this.bindFailure = null;
		}
		catch (VsockBindException ex) {
			this.bindFailure = ex;
			throw ex;
		}
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
		VsockPoller poller = new VsockPoller(getName() + "-Poller",
				Math.max(this.socketProperties.getTimeoutInterval(), 100), this::checkTimeouts);
		this.poller = poller;
		LinuxSocket socket = Objects.requireNonNull(this.serverSocket, "not bound");
		this.acceptRegistration = poller.register(new AcceptHandle(socket));
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
		VsockPoller poller = this.poller;
		this.poller = null;
		if (poller != null) {
			poller.stop();
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
			try {
				if (registration != null) {
					registration.cancel();
				}
			}
			finally {
				// Closed whatever the poller says: a listening socket left open keeps its port.
				if (socket != null) {
					socket.close();
					this.listenerSocket.closed();
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
					VsockPoller.arm(registration, VsockPoller.EPOLLIN);
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
			VsockListenerSocket listener = this.listenerSocket;
			VsockAddress remote = listener.peer(socket);
			VsockAddress local = listener.local(socket);
			VsockPoller poller = this.poller;
			if (poller == null || (listener.knowsPeers() && (remote == null || local == null))) {
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
			wrapper.register(poller);
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
	 * gives it back ({@link #giveBackCopyBuffer(ByteBuffer)}) when its native call is done.
	 * @return the buffer
	 */
	ByteBuffer takeCopyBuffer() {
		ByteBuffer buffer = this.copyBuffers.pop();
		return (buffer != null) ? buffer.clear() : ByteBuffer.allocateDirect(COPY_BUFFER_SIZE);
	}

	/**
	 * Gives back a copy buffer taken with {@link #takeCopyBuffer()}.
	 * @param buffer the buffer
	 */
	void giveBackCopyBuffer(ByteBuffer buffer) {
		this.copyBuffers.push(buffer);
	}

	/**
	 * Forgets a connection that is closed.
	 * @param socket its socket
	 */
	void forget(LinuxSocket socket) {
		this.connections.remove(socket);
	}

	static void closeQuietly(FileDescriptor socket) {
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
				if (!wrapper.isHandshakeDone()) {
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

}
