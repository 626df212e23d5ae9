package dev.vsock.boot.systemd;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Switches an inherited socket to non-blocking mode with {@code fcntl(F_SETFL)}, through the FFM
 * API of Java 22+. Any failure (native access denied) answers "not set", and the caller says what
 * to do instead.
 */
final class NonBlockingMode {

	private static final int F_GETFL = 3;

	private static final int F_SETFL = 4;

	private static final int O_NONBLOCK = 04000;

	private NonBlockingMode() {
	}

	/**
	 * Sets {@code O_NONBLOCK} on a file descriptor.
	 * @param fd the file descriptor
	 * @return whether it was set
	 */
	static boolean set(int fd) {
		try {
			Linker linker = Linker.nativeLinker();
			MethodHandle fcntl = linker.downcallHandle(linker.defaultLookup().find("fcntl").orElseThrow(),
					FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
			int flags = (int) fcntl.invokeExact(fd, F_GETFL, 0);
			return flags >= 0 && (int) fcntl.invokeExact(fd, F_SETFL, flags | O_NONBLOCK) == 0;
		}
		catch (Throwable ex) {
			return false;
		}
	}

}
