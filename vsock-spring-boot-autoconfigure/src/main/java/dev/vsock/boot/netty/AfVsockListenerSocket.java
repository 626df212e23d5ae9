package dev.vsock.boot.netty;

import java.io.IOException;
import java.net.SocketAddress;

import io.netty.channel.ChannelException;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.LinuxSocket;
import org.jspecify.annotations.Nullable;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.VsockBindException;

/**
 * An AF_VSOCK listening socket; a {@link VsockBindException} says why binding failed.
 */
public final class AfVsockListenerSocket extends AfVsockListenerSocketSupport {

	private final VsockAddress configured;

	private volatile @Nullable VsockAddress bound;

	/**
	 * Creates the socket of a listener on the given address, with the kernel's buffer size.
	 * @param address the address to bind; port {@link VsockAddress#PORT_ANY} lets the kernel pick
	 */
	public AfVsockListenerSocket(VsockAddress address) {
		this(address, null);
	}

	/**
	 * Creates the socket of a listener on the given address.
	 * @param address the address to bind; port {@link VsockAddress#PORT_ANY} lets the kernel pick
	 * @param bufferSize the receive buffer of the connections it accepts, in bytes
	 * ({@link VsockChannelOption#BUFFER_SIZE}), or {@code null} for the kernel's default
	 */
	public AfVsockListenerSocket(VsockAddress address, @Nullable Long bufferSize) {
		super(bufferSize);
		this.configured = address;
	}

	@Override
	public VsockAddress address() {
		VsockAddress bound = this.bound;
		return (bound != null) ? bound : this.configured;
	}

	@Override
	public LinuxSocket listen(int backlog) throws IOException {
		LinuxSocket socket = VsockNative.newStreamSocket();
		try {
			applyBufferSize(socket);
			VsockNative.bind(socket, this.configured);
			socket.listen(backlog);
			this.bound = VsockNative.localAddress(socket);
			return socket;
		}
		catch (IOException | RuntimeException ex) {
			socket.close();
			throw ex;
		}
	}

	@Override
	public ServerChannel newServerChannel() {
		VsockServerChannel channel = new VsockServerChannel();
		try {
			applyBufferSize(channel.socket());
			return channel;
		}
		catch (IOException | RuntimeException ex) {
			channel.unsafe().closeForcibly();
			throw (ex instanceof RuntimeException runtime) ? runtime : new ChannelException(ex);
		}
	}

	@Override
	public SocketAddress bindAddress() {
		return this.configured;
	}

	@Override
	public String describe(VsockAddress bound) {
		return "vsock cid=" + bound.cidText() + " port=" + (bound.isAnyPort() ? "any" : bound.port());
	}

	@Override
	public void closed() {
		// Nothing is left behind: an AF_VSOCK port is free once its socket is closed.
	}

}
