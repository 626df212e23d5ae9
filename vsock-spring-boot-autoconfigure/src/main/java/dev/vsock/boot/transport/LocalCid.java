package dev.vsock.boot.transport;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Reads the local CID. Java before 22 has no way to make the ioctl without native code of our
 * own, so this version answers "unknown"; the Java 22+ version of this class, in the
 * multi-release jar, asks the kernel through the FFM API.
 */
final class LocalCid {

	private LocalCid() {
	}

	/**
	 * Returns the local CID.
	 * @param device the vsock device, {@code /dev/vsock}
	 * @return empty: unknown on this Java version
	 */
	static OptionalLong read(Path device) {
		return OptionalLong.empty();
	}

}
