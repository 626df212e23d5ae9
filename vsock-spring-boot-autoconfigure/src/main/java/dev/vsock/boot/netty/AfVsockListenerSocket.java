package dev.vsock.boot.netty;

import java.io.IOException;
import java.net.SocketAddress;

import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.LinuxSocket;
import org.jspecify.annotations.Nullable;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.VsockBindException;

/**
 * An AF_VSOCK listening socket; a {@link VsockBindException} says why binding failed.
 */
public final class AfVsockListenerSocket implements VsockListenerSocket {

	private final VsockAddress configured;

	private final @Nullable Long configuredBufferSize;

	private volatile @Nullable VsockAddress bound;

	private volatile @Nullable Long bufferSize;

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
		this.configured = address;
		this.configuredBufferSize = bufferSize;
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
			if (this.configuredBufferSize != null) {
				VsockNative.setBufferSize(socket, this.configuredBufferSize);
			}
			VsockNative.bind(socket, this.configured);
			socket.listen(backlog);
			this.bound = VsockNative.localAddress(socket);
			this.bufferSize = VsockNative.bufferSize(socket);
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
			if (this.configuredBufferSize != null) {
				channel.config().setBufferSize(this.configuredBufferSize);
			}
			this.bufferSize = channel.config().getBufferSize();
			return channel;
		}
		catch (RuntimeException ex) {
			channel.unsafe().closeForcibly();
			throw ex;
		}
	}

	/**
	 * Returns the receive buffer size of the connections this listener accepts, as the kernel
	 * reports it for the listening socket.
	 * @return the size in bytes, or {@code null} before the socket is opened
	 */
	@Override
	public @Nullable Long bufferSize() {
		return this.bufferSize;
	}

	@Override
	public Class<? extends ServerChannel> serverChannelType() {
		return VsockServerChannel.class;
	}

	@Override
	public SocketAddress bindAddress() {
		return this.configured;
	}

	@Override
	public boolean knowsPeers() {
		return true;
	}

	@Override
	public @Nullable VsockAddress peer(LinuxSocket accepted) {
		return VsockNative.remoteAddress(accepted);
	}

	@Override
	public @Nullable VsockAddress local(LinuxSocket accepted) {
		return VsockNative.localAddress(accepted);
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
