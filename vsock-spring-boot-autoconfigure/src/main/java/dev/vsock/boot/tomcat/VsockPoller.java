package dev.vsock.boot.tomcat;

import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The one thread that waits for the readiness of a {@link VsockEndpoint}'s sockets, as
 * {@code NioEndpoint}'s poller does with its selector: a Netty epoll event loop, without a
 * pipeline. The listening socket wakes the acceptor; a connection is armed for {@code EPOLLIN} or
 * {@code EPOLLOUT} only while Tomcat waits for it ({@link VsockSocketWrapper}); a periodic check
 * ends the waits that outlived their timeouts.
 */
final class VsockPoller {

	private static final Log log = LogFactory.getLog(VsockPoller.class);

	static final int EPOLLIN = EpollIoOps.EPOLLIN.value();

	static final int EPOLLOUT = EpollIoOps.EPOLLOUT.value();

	/** {@code EPOLLHUP} from {@code <sys/epoll.h>}: Netty's {@code EpollIoOps} has no constant for it. */
	private static final int EPOLLHUP = 0x010;

	/** What epoll reports for a socket that failed, whatever it was armed for. */
	static final int FAILED = EpollIoOps.EPOLLERR.value() | EPOLLHUP;

	private static final int EPOLLET = EpollIoOps.EPOLLET.value();

	private final MultiThreadIoEventLoopGroup group;

	private final IoEventLoop loop;

	/** The loop's epoll handler, kept when the loop makes it, for {@link #stop()}. */
	private volatile @Nullable IoHandler handler;

	private final ScheduledFuture<?> timeouts;

	/**
	 * Starts the poller's thread.
	 * @param name the thread's name
	 * @param timeoutInterval how often, in milliseconds, the timeouts are checked
	 * @param checkTimeouts what checks them, on the poller's thread
	 */
	VsockPoller(String name, long timeoutInterval, Runnable checkTimeouts) {
		IoHandlerFactory epoll = EpollIoHandler.newFactory();
		this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(name, true), (executor) -> {
			IoHandler handler = epoll.newHandler(executor);
			this.handler = handler;
			return handler;
		});
		this.loop = (IoEventLoop) this.group.next();
		this.timeouts = this.loop.scheduleAtFixedRate(checkTimeouts, timeoutInterval, timeoutInterval,
				TimeUnit.MILLISECONDS);
	}

	/**
	 * Registers a socket, armed for nothing yet.
	 * @param handle the socket and what to do when it is ready
	 * @return the registration, to arm with {@link #arm(IoRegistration, int)}
	 */
	IoRegistration register(EpollIoHandle handle) {
		return this.loop.register(handle).syncUninterruptibly().getNow();
	}

	/**
	 * Arms a registered socket for what it waits for, edge-triggered: re-arming with
	 * {@code epoll_ctl} reports a socket that is ready already, and an event reported while nobody
	 * asked for it does not repeat.
	 * @param registration the socket's registration
	 * @param interest {@link #EPOLLIN}, {@link #EPOLLOUT}, both, or 0 for nothing
	 */
	static void arm(IoRegistration registration, int interest) {
		try {
			registration.submit(EpollIoOps.valueOf(interest | EPOLLET));
		}
		catch (UncheckedIOException ex) {
			log.debug("Failed to change the epoll interest of a closed vsock socket", ex);
		}
	}

	/**
	 * Stops the timeout checks and the poller's thread, after closing every registration on it.
	 * Netty's loop, shut down with no quiet period while it runs tasks (a connection's last
	 * events, the cancellations of the connections the endpoint closed), ends without closing its
	 * registrations, and a registration cancelled after that is refused: the listening socket's
	 * was, and the socket stayed open.
	 */
	void stop() {
		this.timeouts.cancel(false);
		IoHandler handler = this.handler;
		if (handler != null && !this.loop.isShuttingDown()) {
			this.loop.submit(handler::prepareToDestroy).awaitUninterruptibly();
		}
		this.group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
	}

}
