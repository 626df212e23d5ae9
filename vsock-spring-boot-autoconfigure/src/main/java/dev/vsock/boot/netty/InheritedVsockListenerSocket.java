package dev.vsock.boot.netty;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.LinuxSocket;
import org.jspecify.annotations.Nullable;

import dev.vsock.boot.VsockAddress;

/**
 * A listening AF_VSOCK socket the process inherited from its service manager (systemd's socket
 * activation), which a server serves on as it is, bound and listening, instead of binding one.
 */
public final class InheritedVsockListenerSocket extends AfVsockListenerSocketSupport {

	private final LinuxSocket socket;

	private final VsockAddress address;

	private final String origin;

	private final AtomicBoolean used = new AtomicBoolean();

	private final AtomicBoolean closed = new AtomicBoolean();

	private volatile Runnable onClose = () -> {
	};

	/**
	 * Creates the listener socket of an inherited socket.
	 * @param socket the listening, non-blocking socket
	 * @param address the address it is bound to, as the kernel reports it
	 * @param origin where it came from, for logs and the health, for example {@code fd 3 'http'}
	 * @param bufferSize the receive buffer of its connections, {@code null} to leave it as it is
	 */
	public InheritedVsockListenerSocket(LinuxSocket socket, VsockAddress address, String origin,
			@Nullable Long bufferSize) {
		super(bufferSize);
		this.socket = socket;
		this.address = address;
		this.origin = origin;
	}

	/**
	 * Sets what to do once the server has closed the socket (once, however often it says so).
	 * @param onClose the action
	 * @return this socket
	 */
	public InheritedVsockListenerSocket onClose(Runnable onClose) {
		this.onClose = onClose;
		return this;
	}

	@Override
	public VsockAddress address() {
		return this.address;
	}

	@Override
	public LinuxSocket listen(int backlog) throws IOException {
		use();
		return this.socket;
	}

	@Override
	public ServerChannel newServerChannel() {
		use();
		VsockServerChannel channel = new VsockServerChannel(this.socket);
		channel.closeFuture().addListener((closed) -> closed());
		return channel;
	}

	private void use() {
		if (!this.used.compareAndSet(false, true)) {
			throw new IllegalStateException("The inherited vsock socket " + this.origin
					+ " is served already: a server cannot listen on it twice");
		}
		try {
			// Accepted connections inherit the listening socket's size, as for a bound one.
			applyBufferSize(this.socket);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot set the buffer size of the inherited vsock socket " + this.origin
					+ ": " + ex.getMessage(), ex);
		}
	}

	@Override
	public SocketAddress bindAddress() {
		return this.address;
	}

	@Override
	public String describe(VsockAddress bound) {
		return "vsock cid=" + bound.cidText() + " port=" + bound.port() + " (inherited: " + this.origin + ")";
	}

	@Override
	public @Nullable String inheritedFrom() {
		return this.origin;
	}

	@Override
	public void closed() {
		if (this.closed.compareAndSet(false, true)) {
			this.onClose.run();
		}
	}

}
