package dev.vsock.boot.netty;

import io.netty.channel.ChannelOption;

/**
 * The socket options of AF_VSOCK's own, which {@link VsockChannel} and {@link VsockServerChannel}
 * take like any other Netty channel option ({@code Bootstrap.option(...)},
 * {@code ServerBootstrap.option(...)}, {@code HttpClient.option(...)}).
 *
 * @param <T> the type of the option's value
 */
public final class VsockChannelOption<T> extends ChannelOption<T> {

	/**
	 * The size, in bytes, of the socket's receive buffer, which bounds how much its peer may send
	 * before this end reads ({@code SO_VM_SOCKETS_BUFFER_SIZE}; the kernel's default is 256 KiB).
	 * Setting it also sets the largest size the socket may have
	 * ({@code SO_VM_SOCKETS_BUFFER_MAX_SIZE}), which would otherwise cap it at 256 KiB. Set on a
	 * server channel before it is bound, it is inherited by every connection the channel accepts;
	 * set on a client channel, before it connects. Reading it returns what the kernel reports.
	 */
	public static final ChannelOption<Long> BUFFER_SIZE = valueOf(VsockChannelOption.class, "VSOCK_BUFFER_SIZE");

	@SuppressWarnings({ "unused", "deprecation" })
	private VsockChannelOption() {
		super(null);
	}

}
