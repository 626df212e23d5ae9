package dev.vsock.boot.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the benchmark's servers answer, the same on Tomcat and Reactor Netty: a small JSON
 * document for {@code GET /json}, the byte count for {@code POST /upload}, and the process's
 * memory after a full collection for {@code GET /memory}.
 */
final class Endpoints {

	static final String JSON = "/json";

	static final String UPLOAD = "/upload";

	static final String MEMORY = "/memory";

	private static final byte[] GREETING = "{\"greeting\":\"hello\",\"count\":42}".getBytes(StandardCharsets.UTF_8);

	private Endpoints() {
	}

	static byte[] greeting() {
		return GREETING;
	}

	static byte[] received(long bytes) {
		return ("{\"received\":" + bytes + "}").getBytes(StandardCharsets.UTF_8);
	}

	static byte[] memory() {
		// Twice: the first collection may leave what finalisation and reference processing free.
		System.gc();
		System.gc();
		long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
		return ("{\"heap\":" + heap + ",\"rss\":" + residentBytes() + "}").getBytes(StandardCharsets.UTF_8);
	}

	private static long residentBytes() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
				}
			}
			return -1;
		}
		catch (IOException ex) {
			return -1;
		}
	}

}
