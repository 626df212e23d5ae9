package dev.vsock.boot.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.vsock.boot.bench.Results.HttpResult;
import dev.vsock.boot.bench.Results.WarmupRound;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the page says of the build machine itself: how much of its CPUs' time the hypervisor took
 * while the guest ran (the evening run of 3 December swung 2× between turns of one target), and
 * which clock the guest measured with, and whether the guest half ran to its end; and how the
 * warm-up ended, judged as the run judged it.
 */
class ReportWriterTest {

	@Test
	void stealIsTheShareOfTheBusyTimeBetweenTwoReadingsOfProcStat() {
		// user nice system idle iowait irq softirq steal guest guest_nice, in ticks
		String before = "100 0 10 800 5 0 1 10 0 0";
		String after = "200 0 20 1600 15 0 2 30 0 0";
		// busy = user 100 + system 10 + softirq 1 + steal 20 = 131; steal 20 of them
		assertThat(ReportWriter.stolen(before, after)).isEqualTo("15.3 % of the CPUs' busy time");
	}

	@Test
	void stealNotRecordedSaysSo() {
		assertThat(ReportWriter.stolen(null, "1 0 0 1 0 0 0 0 0 0")).isEqualTo("not recorded");
		assertThat(ReportWriter.stolen("1 0 0 1 0 0 0 0 0 0", "1 0 0 1 0 0 0 0 0 0")).isEqualTo("not recorded");
	}

	@Test
	void theGuestsClockIsTheIcountItRanWithOrTheBuildMachinesTime() {
		Properties machine = new Properties();
		assertThat(ReportWriter.instructionClock(machine)).as("results written before -icount").isNull();
		machine.setProperty("qemu.icount", "");
		assertThat(ReportWriter.instructionClock(machine)).as("bench/run.sh --build-machine-clock").isNull();
		machine.setProperty("qemu.icount", "shift=3,sleep=on");
		assertThat(ReportWriter.instructionClock(machine)).isEqualTo("shift=3,sleep=on");
	}

	@Test
	void aGuestHalfThatStoppedEarlyIsSaidWithWhatStoppedIt() {
		Properties machine = new Properties();
		assertThat(ReportWriter.stoppedEarly(machine)).as("results written before guest.exit").isNull();
		machine.setProperty("guest.exit", "0");
		assertThat(ReportWriter.stoppedEarly(machine)).isNull();
		machine.setProperty("guest.limit", "27000");
		machine.setProperty("guest.exit", "124");
		assertThat(ReportWriter.stoppedEarly(machine))
			.isEqualTo("the guest half stopped at its time limit, 27000 s, before its end");
		machine.setProperty("guest.exit", "1");
		assertThat(ReportWriter.stoppedEarly(machine))
			.isEqualTo("the guest half stopped before its end (exit status 1, see the run's output)");
	}

	@Test
	void aWarmupCappedWhileTheRawChannelStillRoseIsSaidNotToHaveLevelledOff() {
		// The HTTP cells level and the JIT quiet, but the raw vsock channel still rising (the runs of
		// 5 December at 02:54 saw it rise from 15.6 to 27 MiB/s after the HTTP paths had levelled):
		// the run does not end its warm-up on that (WarmupEnd.ended), so neither may the page.
		List<WarmupRound> rounds = new ArrayList<>();
		double[] raw = { 15.6, 15.8, 15.7, 19.3, 21.5, 26.5 };
		for (int i = 0; i < raw.length; i++) {
			rounds.add(round(rounds, raw[i], 0.01, null));
		}
		assertThat(ReportWriter.warmupEnding(rounds, 3, 0.05, 0.05)).isEqualTo(
				"**did not level off**: it ended at its cap of twice the budget with the raw vsock channel's rate still rising; "
						+ "the JIT compiled for less than 5 % of each of the last 3 rounds");
		for (double rate : List.of(25.2, 27.0, 26.4, 26.0, 24.9, 26.8)) {
			rounds.add(round(rounds, rate, 0.01, null));
		}
		assertThat(ReportWriter.warmupEnding(rounds, 3, 0.05, 0.05)).isEqualTo(
				"ended at 1200 s, its last 3 rounds +0.0 % against the 3 before, the JIT compiling 1 % of the last round");
	}

	@Test
	void aWarmupCappedWhileTheJitStillCompiledOrTheRatesStillRoseSaysWhich() {
		List<WarmupRound> rounds = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			rounds.add(round(rounds, 15.8, 0.40, null));
		}
		assertThat(ReportWriter.warmupEnding(rounds, 3, 0.05, 0.05)).isEqualTo(
				"**did not level off**: it ended at its cap of twice the budget with the JIT still compiling (40 % of the last round)");
		List<WarmupRound> rising = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			rising.add(new WarmupRound(i + 1, 100.0 * (i + 1), 1.2, cells(100 * Math.pow(1.2, i)), 1, null, null, null,
					null, null, null));
		}
		assertThat(ReportWriter.warmupEnding(rising, 3, 0.05, 0.05)).isEqualTo(
				"**did not level off**: it ended at its cap of twice the budget with the rates still rising");
	}

	@Test
	void whereTheCompilersCpuWasMeasuredTheWarmupEndsOnItNotOnJmxsCompileTime() {
		// The run of 5 December at 08:44: JMX's compile time about 100 % of every round, as a compile
		// waiting for the CPU behind the load counts from its start to its end.
		List<WarmupRound> rounds = new ArrayList<>();
		for (double cpu : List.of(0.30, 0.12, 0.06, 0.04, 0.03, 0.02)) {
			rounds.add(round(rounds, 26.0, 1.02, cpu));
		}
		assertThat(ReportWriter.warmupEnding(rounds, 3, 0.05, 0.05)).isEqualTo(
				"ended at 600 s, its last 3 rounds +0.0 % against the 3 before, the compilers using 2.0 % of the last round's CPU");
		rounds.add(round(rounds, 26.0, 0.01, 0.09));
		assertThat(ReportWriter.warmupEnding(rounds, 3, 0.05, 0.05)).isEqualTo(
				"**did not level off**: it ended at its cap of twice the budget with the compilers still using 9.0 % of the last round's CPU");
	}

	@Test
	void aWarmupCappedWithItsCompilersQuietSaysEveryRateStillRisingAndThatTheCompilersWereQuiet() {
		// The run of 5 December at 14:51, the compilers at nice -10: their CPU under 5 % of each of
		// the last three rounds, the HTTP cells' rates and the raw channel's still moving by more
		// than 5 % over three rounds; the page said only "the rates still rising".
		List<WarmupRound> rounds = new ArrayList<>();
		double[] raw = { 19.9, 24.4, 23.8, 27.0, 26.8, 26.8 };
		double[] cpu = { 0.109, 0.056, 0.024, 0.023, 0.017, 0.017 };
		for (int i = 0; i < raw.length; i++) {
			rounds.add(new WarmupRound(i + 1, 100.0 * (i + 1), 1.0, cells(100 * Math.pow(1.1, i)), 1, null, raw[i], null,
					cpu[i], cpu[i], 0));
		}
		assertThat(ReportWriter.warmupEnding(rounds, 3, 0.05, 0.05)).isEqualTo(
				"**did not level off**: it ended at its cap of twice the budget with the rates and the raw vsock channel's "
						+ "rate still rising; the compilers used less than 5 % of each of the last 3 rounds' CPU (the last 1.7 %)");
	}

	@Test
	void theJvmRowSaysTheCompilerThreadsNiceWhereTheyRanAtAnotherThanTheRest() {
		assertThat(ReportWriter.jvm(Map.of("java", "OpenJDK 25"))).as("results written before it was read")
			.isEqualTo("OpenJDK 25, `-Xmx2g` in the guest");
		assertThat(ReportWriter.jvm(Map.of("java", "OpenJDK 25", "compilerNice", "0")))
			.isEqualTo("OpenJDK 25, `-Xmx2g` in the guest");
		assertThat(ReportWriter.jvm(Map.of("java", "OpenJDK 25", "compilerNice", "-10"))).isEqualTo(
				"OpenJDK 25, `-Xmx2g` in the guest, the JIT's compiler threads at nice -10 (`-XX:ThreadPriorityPolicy=1`)");
	}

	/** The next round of a warm-up whose HTTP cells are level. */
	private static WarmupRound round(List<WarmupRound> before, double rawMibPerSecond, double compiling,
			@Nullable Double compilerCpu) {
		return new WarmupRound(before.size() + 1, 100.0 * (before.size() + 1), 1.0, cells(300), 1, null,
				rawMibPerSecond, null, compiling, compilerCpu, (compilerCpu != null) ? 0 : null);
	}

	private static List<HttpResult> cells(double rate) {
		return List.of(new HttpResult(BenchServer.TOMCAT, "vsock", Workload.JSON_GET.name(), 16, 0, (long) (rate * 3), 0,
				3, rate, 1, 2));
	}

}
