package dev.vsock.boot.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import javax.management.JMException;
import javax.management.ObjectName;

import org.jspecify.annotations.Nullable;

/**
 * What the JIT's compiler threads do, as the warm-up reads it each round: the CPU time they have
 * used ({@code /proc/self/task}, their user and system ticks), and how many methods wait for a
 * compiler ({@code jcmd Compiler.queue}, through the diagnostic command MBean). JMX's compilation
 * time is not the CPU: it counts each compile from its start to its end, so on the guest's one CPU,
 * where a compile waits for the CPU behind the load, it stayed at about 100 % of every round of the
 * warm-up of 5 December at 08:44 whatever share of the CPU the compilers had.
 */
final class CompilerThreads {

	/** Linux's {@code USER_HZ}, the unit of {@code /proc}'s CPU times, 100 on every architecture the JDK runs on. */
	private static final long NANOS_PER_TICK = 10_000_000L;

	private CompilerThreads() {
	}

	/**
	 * @return the CPU time this JVM's compiler threads have used so far, or {@code null} where
	 * {@code /proc/self/task} cannot be read
	 */
	static @Nullable Long cpuNanos() {
		return cpuNanos(Path.of("/proc/self/task"));
	}

	/**
	 * The CPU time of the compiler threads among the tasks of a directory laid out as
	 * {@code /proc/<pid>/task}. A compiler thread that has ended (HotSpot stops those it started
	 * for a long queue when the queue is short again) takes its time with it: the sum can fall,
	 * and a round that saw one end reads low.
	 * @param tasks the directory of the process's threads
	 * @return their user and system time summed, or {@code null} where the directory cannot be read
	 */
	static @Nullable Long cpuNanos(Path tasks) {
		List<Path> threads;
		try (Stream<Path> listed = Files.list(tasks)) {
			threads = listed.toList();
		}
		catch (IOException ex) {
			return null;
		}
		long ticks = 0;
		for (Path thread : threads) {
			try {
				String name = Files.readString(thread.resolve("comm")).strip();
				// HotSpot's "C1 CompilerThread0", "C2 CompilerThread1", cut by the kernel to 15 characters.
				if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
					ticks += ticks(Files.readString(thread.resolve("stat")));
				}
			}
			catch (IOException ex) {
				// The thread ended between the listing and the reading (no such file, or no such
				// process while its directory was still there): a benchmark does not stop for it.
			}
		}
		return ticks * NANOS_PER_TICK;
	}

	/**
	 * @return the methods waiting for either compiler now, or {@code null} where the diagnostic
	 * command cannot be run
	 */
	static @Nullable Integer queued() {
		try {
			Object queue = ManagementFactory.getPlatformMBeanServer()
				.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerQueue",
						new Object[] { null }, new String[] { String[].class.getName() });
			return (queue instanceof String text) ? queued(text) : null;
		}
		catch (JMException ex) {
			return null;
		}
	}

	/**
	 * @param queue the output of {@code jcmd Compiler.queue}
	 * @return the methods listed under its compile queues (not those being compiled now)
	 */
	static int queued(String queue) {
		int methods = 0;
		boolean inQueue = false;
		for (String line : queue.lines().map(String::strip).toList()) {
			if (line.endsWith("compile queue:")) {
				inQueue = true;
			}
			else if (line.isEmpty() || line.endsWith(":")) {
				inQueue = false;
			}
			else if (inQueue && !line.equals("Empty")) {
				methods++;
			}
		}
		return methods;
	}

	/** The user and system ticks of one {@code stat} line, the 14th and 15th fields. */
	private static long ticks(String stat) {
		// The name in parentheses may hold spaces and parentheses: the fields start after the last ')'.
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).strip().split(" ");
		return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
	}

}
