package dev.vsock.boot.netty;

import java.util.Set;

import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;

/**
 * The socket options that mean something only for TCP and that vsock channels accept and ignore,
 * so that code written for TCP channels (Reactor Netty sets several of them) runs unchanged and
 * without "unknown channel option" warnings.
 */
final class VsockChannelOptions {

	private static final Set<ChannelOption<?>> TCP_ONLY = Set.of(ChannelOption.SO_REUSEADDR,
			ChannelOption.TCP_NODELAY, ChannelOption.SO_KEEPALIVE, ChannelOption.SO_LINGER, ChannelOption.IP_TOS,
			ChannelOption.SO_RCVBUF, ChannelOption.SO_SNDBUF, EpollChannelOption.SO_REUSEPORT,
			EpollChannelOption.TCP_QUICKACK, EpollChannelOption.TCP_FASTOPEN, EpollChannelOption.TCP_KEEPIDLE,
			EpollChannelOption.TCP_KEEPINTVL, EpollChannelOption.TCP_KEEPCNT, EpollChannelOption.TCP_USER_TIMEOUT,
			EpollChannelOption.TCP_CORK, EpollChannelOption.TCP_DEFER_ACCEPT);

	private VsockChannelOptions() {
	}

	/**
	 * Returns whether an option is a TCP option that vsock accepts and ignores.
	 * @param option the option
	 * @return whether it is ignored
	 */
	static boolean isIgnored(ChannelOption<?> option) {
		return TCP_ONLY.contains(option);
	}

}
