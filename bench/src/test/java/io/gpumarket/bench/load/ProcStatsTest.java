package io.gpumarket.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** /proc figures of a process: this JVM's own, which must show the work it does. */
class ProcStatsTest {
    @Test
    void cpu_time_grows_with_work_and_resident_memory_is_read() {
        long pid = ProcessHandle.current().pid();
        long before = ProcStats.cpuTicks(pid, false);
        long until = System.nanoTime() + 300_000_000L;
        long x = 0;
        while (System.nanoTime() < until) x += Long.numberOfTrailingZeros(x + System.nanoTime());
        long after = ProcStats.cpuTicks(pid, false);

        assertThat(before).isPositive();
        assertThat(after).as("spinning 300 ms (%d)", x).isGreaterThan(before);
        long[] rss = ProcStats.rssKb(pid);
        assertThat(rss[0]).isPositive();
        assertThat(rss[1]).isGreaterThanOrEqualTo(rss[0]);
    }

    @Test
    void a_gone_process_has_no_figures() {
        assertThat(ProcStats.cpuTicks(Long.MAX_VALUE, false)).isEqualTo(-1);
        assertThat(ProcStats.rssKb(Long.MAX_VALUE)[0]).isEqualTo(-1);
    }

    @Test
    void percent_of_a_core_is_ticks_over_wall_time() {
        assertThat(ProcStats.percentOfCore(ProcStats.TICKS_PER_SECOND, 2_000_000_000L))
                .isEqualTo(50.0);
    }
}
