package dev.vsock.boot.bench;

import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the page says of the build machine itself: how much of its CPUs' time the hypervisor took
 * while the guest ran (the evening run of 3 December swung 2× between turns of one target), and
 * which clock the guest measured with, and whether the guest half ran to its end.
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

}
