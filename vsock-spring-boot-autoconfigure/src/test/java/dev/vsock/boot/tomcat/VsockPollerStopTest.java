package dev.vsock.boot.tomcat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.FileDescriptor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Stopping the poller closes every registration on its thread, even when a stop is asked for
 * while that thread is busy: Netty's event loop, shut down with no quiet period while it runs
 * tasks, ends without closing its registrations, and cancelling one afterwards is refused
 * ({@code RejectedExecutionException}). The endpoint's listening socket, cancelled that way after
 * the poller stopped, was then never closed: a benchmark run in the guest on 4 December logged
 * "Connector ... failed to stop" when a Tomcat with 10,000 connections stopped, its last
 * connections' tasks still running.
 */
class VsockPollerStopTest {

	private static final Duration LIMIT = Duration.ofSeconds(30);

	@Test
	void stopClosesEveryRegistrationEvenWhenAskedWhileItsThreadIsBusy() throws Exception {
		CountDownLatch busy = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		AtomicBoolean first = new AtomicBoolean(true);
		// The periodic timeout check keeps the poller's thread busy (in its tasks) until released.
		VsockPoller poller = new VsockPoller("stop-test-poller", 50, () -> {
			if (first.compareAndSet(true, false)) {
				busy.countDown();
				awaitQuietly(release);
			}
		});
		// A Unix socket, never connected: any descriptor epoll accepts will do.
		LinuxSocket socket = LinuxSocket.newSocketDomain();
		try {
			AtomicBoolean closed = new AtomicBoolean();
			IoRegistration registration = poller.register(new Handle(socket, closed));
			assertThat(busy.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
			Thread stopper = new Thread(poller::stop, "stopper");
			stopper.start();
			// The stop is asked for, and waits, while the poller's thread is still in its task.
			long deadline = System.nanoTime() + LIMIT.toNanos();
			while (stopper.getState() != Thread.State.WAITING && stopper.getState() != Thread.State.TIMED_WAITING
					&& System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
			release.countDown();
			stopper.join(LIMIT.toMillis());
			assertThat(stopper.isAlive()).as("the stop returned").isFalse();
			assertThat(closed).as("the registration's handle closed by the poller").isTrue();
			assertThat(registration.isValid()).isFalse();
			assertThatNoException().as("cancelling after the stop").isThrownBy(registration::cancel);
		}
		finally {
			release.countDown();
			socket.close();
		}
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private record Handle(LinuxSocket socket, AtomicBoolean closed) implements EpollIoHandle {

		@Override
		public FileDescriptor fd() {
			return this.socket;
		}

		@Override
		public void handle(IoRegistration registration, IoEvent event) {
		}

		@Override
		public void close() {
			this.closed.set(true);
		}

	}

}
