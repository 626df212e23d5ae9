package dev.vsock.boot.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JIT's compiler threads' CPU time, read from {@code /proc/self/task}: JMX's compilation time
 * counts each compile from its start to its end, so on the guest's one CPU, where a compile waits
 * for the CPU behind the load, it stayed at about 100 % of every warm-up round (the run of 5
 * December at 08:44) and says nothing of the CPU the compilers took.
 */
class CompilerThreadsTest {

	@TempDir
	Path tasks;

	@Test
	void theCompilerThreadsCpuIsTheirUserAndSystemTicksSummedAndNoOtherThreads() throws IOException {
		// pid (comm) state ppid ... utime (14th field) stime (15th), in clock ticks of 10 ms
		task("101", "C2 CompilerThre", "101 (C2 CompilerThre) S 1 1 1 0 -1 4194368 0 0 0 0 250 12 0 0 20 0 30 0");
		task("102", "C1 CompilerThre", "102 (C1 CompilerThre) S 1 1 1 0 -1 4194368 0 0 0 0 40 3 0 0 20 0 30 0");
		task("103", "http-nio-8080-e", "103 (http-nio-8080-e) R 1 1 1 0 -1 4194368 0 0 0 0 9000 700 0 0 20 0 30 0");
		// A thread may name itself anything, parentheses and spaces included.
		task("104", "a (b) C2 x", "104 (a (b) C2 x) S 1 1 1 0 -1 4194368 0 0 0 0 5000 5000 0 0 20 0 30 0");
		assertThat(CompilerThreads.cpuNanos(this.tasks)).isEqualTo((250 + 12 + 40 + 3) * 10_000_000L);
	}

	@Test
	void aThreadThatEndedBetweenTheListingAndTheReadingIsLeftOut() throws IOException {
		task("101", "C2 CompilerThre", "101 (C2 CompilerThre) S 1 1 1 0 -1 4194368 0 0 0 0 250 12 0 0 20 0 30 0");
		Files.createDirectories(this.tasks.resolve("105"));
		assertThat(CompilerThreads.cpuNanos(this.tasks)).isEqualTo(262 * 10_000_000L);
	}

	@Test
	void theCompilerThreadsNiceIsTheNineteenthFieldOfTheirStat() throws IOException {
		task("103", "http-nio-8080-e", "103 (http-nio-8080-e) R 1 1 1 0 -1 4194368 0 0 0 0 9000 700 0 0 20 0 30 0");
		assertThat(CompilerThreads.nice(this.tasks)).as("no compiler thread").isNull();
		task("101", "C2 CompilerThre", "101 (C2 CompilerThre) S 1 1 1 0 -1 4194368 0 0 0 0 250 12 0 0 10 -10 30 0");
		assertThat(CompilerThreads.nice(this.tasks)).isEqualTo(-10);
	}

	@Test
	void noSuchDirectoryIsNotMeasured() {
		assertThat(CompilerThreads.cpuNanos(this.tasks.resolve("missing"))).isNull();
	}

	@Test
	void theQueueIsTheMethodsWaitingForEitherCompiler() {
		String queue = """
				Current compiles:\s
				C2 CompilerThread0  1460   !   4       org.apache.coyote.AbstractProtocol::process (530 bytes)

				C1 compile queue:
				Empty

				C2 compile queue:
				1354       4       io.netty.buffer.AbstractByteBuf::writeBytes (48 bytes)
				1372   %   4       dev.vsock.boot.netty.VsockChannel::doReadBytes @ 12 (96 bytes)
				""";
		assertThat(CompilerThreads.queued(queue)).isEqualTo(2);
		assertThat(CompilerThreads.queued("Current compiles: \n\nC1 compile queue:\nEmpty\n\nC2 compile queue:\nEmpty\n"))
			.isZero();
	}

	@Test
	void inThisJvmTheCompilersHaveUsedCpuAndTheirQueueCanBeRead() {
		// The names and the diagnostic command are HotSpot's: this JVM has compiled its way to here.
		assertThat(CompilerThreads.cpuNanos()).isPositive();
		assertThat(CompilerThreads.queued()).isNotNull().isNotNegative();
	}

	private void task(String tid, String comm, String stat) throws IOException {
		Path task = Files.createDirectories(this.tasks.resolve(tid));
		Files.writeString(task.resolve("comm"), comm + "\n");
		Files.writeString(task.resolve("stat"), stat + "\n");
	}

}
