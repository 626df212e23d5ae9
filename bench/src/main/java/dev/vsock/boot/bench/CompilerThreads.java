package dev.vsock.boot.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

	// Indexes into a thread's stat fields as compilerStats returns them, from the third on (proc(5)
	// numbers the fields from 1): utime is the 14th, stime the 15th, nice the 19th.

	private static final int USER_TICKS = 14 - 3;

	private static final int SYSTEM_TICKS = 15 - 3;

	private static final int NICE = 19 - 3;

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
		List<String[]> stats = compilerStats(tasks);
		return (stats != null) ? stats.stream()
			.mapToLong((fields) -> Long.parseLong(fields[USER_TICKS]) + Long.parseLong(fields[SYSTEM_TICKS]))
			.sum() * NANOS_PER_TICK : null;
	}

	/**
	 * @return the nice value this JVM's compiler threads run at, or {@code null} where it cannot be
	 * read
	 */
	static @Nullable Integer nice() {
		return nice(Path.of("/proc/self/task"));
	}

	/**
	 * The nice value of the first compiler thread among the tasks of a directory laid out as
	 * {@code /proc/<pid>/task}: 0, as every other thread, unless the JVM was told to set their
	 * priority ({@code -XX:ThreadPriorityPolicy=1}, which takes effect only for root, and {@code
	 * -XX:CompilerThreadPriority}).
	 * @param tasks the directory of the process's threads
	 * @return their nice value, or {@code null} where no compiler thread can be read
	 */
	static @Nullable Integer nice(Path tasks) {
		List<String[]> stats = compilerStats(tasks);
		return (stats != null && !stats.isEmpty()) ? Integer.valueOf(stats.get(0)[NICE]) : null;
	}

	/**
	 * The fields of the compiler threads' {@code stat} lines from the third (the state) on, as the
	 * name in parentheses before them may hold spaces and parentheses; a thread that ended between
	 * the listing and the reading left out (no such file, or no such process while its directory
	 * was still there): a benchmark does not stop for it.
	 */
	private static @Nullable List<String[]> compilerStats(Path tasks) {
		List<Path> threads;
		try (Stream<Path> listed = Files.list(tasks)) {
			threads = listed.sorted().toList();
		}
		catch (IOException ex) {
			return null;
		}
		List<String[]> stats = new ArrayList<>();
		for (Path thread : threads) {
			try {
				String name = Files.readString(thread.resolve("comm")).strip();
				// HotSpot's "C1 CompilerThread0", "C2 CompilerThread1", cut by the kernel to 15 characters.
				if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
					String stat = Files.readString(thread.resolve("stat"));
					stats.add(stat.substring(stat.lastIndexOf(')') + 2).strip().split(" "));
				}
			}
			catch (IOException ex) {
				// Ended: left out.
			}
		}
		return stats;
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

}
