package dev.vsock.boot.netty;

import java.io.IOException;

import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.LinuxSocket;
import org.jspecify.annotations.Nullable;

import dev.vsock.boot.VsockAddress;

/**
 * What the two kinds of AF_VSOCK listener socket share, the one a server binds and the one it
 * inherits: Netty's vsock server channel, peers read from the kernel, and the receive buffer its
 * connections inherit from it.
 */
abstract class AfVsockListenerSocketSupport implements VsockListenerSocket {

	private final @Nullable Long configuredBufferSize;

	private volatile @Nullable Long bufferSize;

	AfVsockListenerSocketSupport(@Nullable Long bufferSize) {
		this.configuredBufferSize = bufferSize;
	}

	/**
	 * Gives the listening socket its configured buffer size, if any, and reads back what the
	 * kernel made of it.
	 * @param socket the listening socket
	 * @throws IOException if the kernel refuses
	 */
	final void applyBufferSize(LinuxSocket socket) throws IOException {
		if (this.configuredBufferSize != null) {
			VsockNative.setBufferSize(socket, this.configuredBufferSize);
		}
		this.bufferSize = VsockNative.bufferSize(socket);
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

}
