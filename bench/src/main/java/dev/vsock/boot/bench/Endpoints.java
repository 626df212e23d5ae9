package dev.vsock.boot.bench;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.netty.util.internal.PlatformDependent;

/**
 * What the benchmark's servers answer, the same on Tomcat and Reactor Netty: a small JSON
 * document for {@code GET /json}, the byte count for {@code POST /upload}, and the process's
 * memory after a full collection (heap, direct, resident set) for {@code GET /memory}.
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
		return ("{\"heap\":" + heap + ",\"direct\":" + directBytes() + ",\"rss\":" + residentBytes() + "}")
			.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Direct memory in use: the JDK's direct buffer pool (ByteBuffer.allocateDirect, which Tomcat
	 * uses) and what Netty allocates without the JDK's cleaner, which it counts itself.
	 */
	private static long directBytes() {
		long pool = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
			.stream()
			.filter((bean) -> "direct".equals(bean.getName()))
			.mapToLong(BufferPoolMXBean::getMemoryUsed)
			.sum();
		return pool + Math.max(0, PlatformDependent.usedDirectMemory());
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
