package dev.vsock.boot.transport;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.OptionalLong;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Reads the local CID with {@code ioctl(IOCTL_VM_SOCKETS_GET_LOCAL_CID)} on {@code /dev/vsock},
 * through the FFM API of Java 22+. Any failure (no device, no permission, native access denied)
 * answers "unknown", never a guess.
 */
final class LocalCid {

	/** {@code IOCTL_VM_SOCKETS_GET_LOCAL_CID}, {@code _IO(7, 0xb9)}. */
	private static final long GET_LOCAL_CID = 0x7b9;

	private static final int O_RDONLY = 0;

	private LocalCid() {
	}

	/**
	 * Returns the local CID.
	 * @param device the vsock device, {@code /dev/vsock}
	 * @return the CID, or empty when it cannot be read
	 */
	static OptionalLong read(Path device) {
		try (Arena arena = Arena.ofConfined()) {
			Linker linker = Linker.nativeLinker();
			SymbolLookup libc = linker.defaultLookup();
			MethodHandle open = linker.downcallHandle(libc.find("open").orElseThrow(),
					FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
			MethodHandle ioctl = linker.downcallHandle(libc.find("ioctl").orElseThrow(),
					FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2));
			MethodHandle close = linker.downcallHandle(libc.find("close").orElseThrow(),
					FunctionDescriptor.of(JAVA_INT, JAVA_INT));
			int fd = (int) open.invokeExact(arena.allocateFrom(device.toString()), O_RDONLY);
			if (fd < 0) {
				return OptionalLong.empty();
			}
			try {
				MemorySegment cid = arena.allocate(JAVA_INT);
				int result = (int) ioctl.invokeExact(fd, GET_LOCAL_CID, cid);
				return (result < 0) ? OptionalLong.empty()
						: OptionalLong.of(Integer.toUnsignedLong(cid.get(JAVA_INT, 0)));
			}
			finally {
				int ignored = (int) close.invokeExact(fd);
			}
		}
		catch (Throwable ex) {
			return OptionalLong.empty();
		}
	}

}
