package dev.vsock.boot.netty;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import io.netty.channel.ChannelException;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.Errors;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.VsockBindException;
import dev.vsock.boot.VsockUnavailableException;

/**
 * The native AF_VSOCK calls of Netty's epoll transport, wrapped once: used by the Netty channels
 * and by the Tomcat endpoint alike.
 */
public final class VsockNative {

	/** The address family, which is also the socket level of its options. */
	private static final int AF_VSOCK = 40;

	private static final int SO_VM_SOCKETS_BUFFER_SIZE = 0;

	private static final int SO_VM_SOCKETS_BUFFER_MAX_SIZE = 2;

	/**
	 * How long the kernel waits for a connect to be answered, 2 s unless set: the original option,
	 * a {@code struct timeval}, laid out on 64-bit Linux as the newer one is.
	 */
	private static final int SO_VM_SOCKETS_CONNECT_TIMEOUT = 6;

	private VsockNative() {
	}

	/**
	 * Opens a non-blocking AF_VSOCK stream socket.
	 * @return the socket
	 * @throws VsockUnavailableException if the native library or the kernel offers no AF_VSOCK
	 */
	public static LinuxSocket newStreamSocket() {
		try {
			Epoll.ensureAvailability();
		}
		catch (UnsatisfiedLinkError ex) {
			throw new VsockUnavailableException(VsockUnavailableException.Reason.NATIVE_LIBRARY_MISSING, ex);
		}
		try {
			return LinuxSocket.newVSockStream();
		}
		catch (ChannelException ex) {
			throw new VsockUnavailableException(VsockUnavailableException.Reason.KERNEL_WITHOUT_VSOCK,
					(ex.getCause() != null) ? ex.getCause() : ex);
		}
	}

	/**
	 * Returns whether this machine can open an AF_VSOCK socket: Netty's epoll natives load and the
	 * kernel offers the address family (loading its module on demand where it can).
	 * @return whether AF_VSOCK sockets can be opened
	 */
	public static boolean isAvailable() {
		try {
			newStreamSocket().close();
			return true;
		}
		catch (VsockUnavailableException ex) {
			return false;
		}
		catch (IOException ex) {
			// Closing failed: the socket was opened, so the family is there.
			return true;
		}
	}

	/**
	 * Binds a socket, turning the kernel's error into a {@link VsockBindException}.
	 * @param socket the socket
	 * @param address the address to bind
	 * @throws VsockBindException if the kernel refuses
	 */
	public static void bind(LinuxSocket socket, VsockAddress address) throws VsockBindException {
		try {
			socket.bindVSock(address.toNetty());
		}
		catch (Errors.NativeIoException ex) {
			throw new VsockBindException(address, VsockBindException.reasonOf(-ex.expectedErr()), ex);
		}
		catch (IOException ex) {
			throw new VsockBindException(address, VsockBindException.Reason.OTHER, ex);
		}
	}

	/**
	 * Returns the address the kernel reports for this end of the socket (getsockname).
	 * @param socket the socket
	 * @return the address, or {@code null} if the socket is not bound
	 */
	public static @Nullable VsockAddress localAddress(LinuxSocket socket) {
		io.netty.channel.epoll.VSockAddress address = socket.localVSockAddress();
		return (address != null) ? VsockAddress.of(address) : null;
	}

	/**
	 * Returns the address of the peer (getpeername).
	 * @param socket the socket
	 * @return the address, or {@code null} if the socket is not connected
	 */
	public static @Nullable VsockAddress remoteAddress(LinuxSocket socket) {
		io.netty.channel.epoll.VSockAddress address = socket.remoteVSockAddress();
		return (address != null) ? VsockAddress.of(address) : null;
	}

	/**
	 * Converts any of the vsock address types to ours.
	 * @param address a {@link VsockAddress} or Netty's {@code VSockAddress}
	 * @return the address
	 * @throws IllegalArgumentException for any other type
	 */
	public static VsockAddress toVsockAddress(java.net.SocketAddress address) {
		if (address instanceof VsockAddress vsock) {
			return vsock;
		}
		if (address instanceof io.netty.channel.epoll.VSockAddress netty) {
			return VsockAddress.of(netty);
		}
		throw new IllegalArgumentException("Unsupported address " + address + " (" + address.getClass().getName()
				+ "): a vsock channel takes a dev.vsock.boot.VsockAddress, for example VsockAddress.of(3, 8080)");
	}

	/**
	 * Sets the size of a socket's receive buffer, raising its maximum to the same size first:
	 * the kernel silently caps the size at the maximum, 256 KiB unless set.
	 * @param socket an AF_VSOCK socket, not connected yet
	 * @param size the size in bytes
	 * @throws IOException if the kernel refuses
	 */
	public static void setBufferSize(LinuxSocket socket, long size) throws IOException {
		if (size <= 0) {
			throw new IllegalArgumentException("Invalid vsock buffer size " + size + ": give a positive number of bytes");
		}
		socket.setRawOpt(AF_VSOCK, SO_VM_SOCKETS_BUFFER_MAX_SIZE, u64(size));
		socket.setRawOpt(AF_VSOCK, SO_VM_SOCKETS_BUFFER_SIZE, u64(size));
	}

	/**
	 * Returns the size of a socket's receive buffer, as the kernel reports it.
	 * @param socket an AF_VSOCK socket
	 * @return the size in bytes
	 * @throws IOException if the kernel refuses
	 */
	public static long bufferSize(LinuxSocket socket) throws IOException {
		ByteBuffer value = u64(0);
		socket.getRawOpt(AF_VSOCK, SO_VM_SOCKETS_BUFFER_SIZE, value);
		return value.getLong(0);
	}

	/**
	 * Sets how long the kernel waits for a connect on this socket to be answered before it fails
	 * it with {@code ETIMEDOUT}; without it, 2 s, whatever the caller's own timeout, and a
	 * non-blocking connect is timed by the kernel too.
	 * @param socket an AF_VSOCK socket, not connected yet
	 * @param timeout how long, at most {@link Integer#MAX_VALUE} seconds
	 * @throws IOException if the kernel refuses
	 */
	public static void setConnectTimeout(LinuxSocket socket, Duration timeout) throws IOException {
		socket.setRawOpt(AF_VSOCK, SO_VM_SOCKETS_CONNECT_TIMEOUT,
				timeval(timeout.toSeconds(), timeout.toNanosPart() / 1000));
	}

	/**
	 * Returns how long the kernel waits for a connect on this socket to be answered.
	 * @param socket an AF_VSOCK socket
	 * @return the timeout, in the kernel's resolution (its clock ticks)
	 * @throws IOException if the kernel refuses
	 */
	public static Duration connectTimeout(LinuxSocket socket) throws IOException {
		ByteBuffer value = timeval(0, 0);
		socket.getRawOpt(AF_VSOCK, SO_VM_SOCKETS_CONNECT_TIMEOUT, value);
		return Duration.ofSeconds(value.getLong(0)).plusNanos(value.getLong(Long.BYTES) * 1000);
	}

	private static ByteBuffer timeval(long seconds, long micros) {
		ByteBuffer buffer = ByteBuffer.allocateDirect(2 * Long.BYTES).order(ByteOrder.nativeOrder());
		buffer.putLong(0, seconds);
		buffer.putLong(Long.BYTES, micros);
		return buffer;
	}

	/** The kernel takes the sizes as unsigned 64-bit numbers in the machine's byte order. */
	private static ByteBuffer u64(long value) {
		ByteBuffer buffer = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.nativeOrder());
		buffer.putLong(0, value);
		return buffer;
	}

}
