package io.gpumarket.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.api.ActualStatus;
import io.gpumarket.api.agent.InstanceReport;
import org.junit.jupiter.api.Test;

class ReportBufferTest {
    static InstanceReport running(long id, long rx, long tx) {
        return running(id, 1_700_000_000, rx, tx);
    }

    static InstanceReport running(long id, long startedAt, long rx, long tx) {
        return new InstanceReport(id, ActualStatus.RUNNING, "", 40001, 0, 0, startedAt, 1, rx, tx);
    }

    static InstanceReport stopped(long id) {
        return new InstanceReport(id, ActualStatus.STOPPED, "", 0, 0, 0, 0, 2);
    }

    @Test
    void a_newer_report_supersedes_the_one_before_it() {
        ReportBuffer buffer = new ReportBuffer();
        buffer.report(running(1, 10, 10));
        buffer.report(running(1, 20, 30));
        assertThat(buffer.drain().reports()).containsExactly(running(1, 20, 30));
    }

    @Test
    void a_runs_last_counts_are_sent_before_the_report_that_ends_the_run() {
        ReportBuffer buffer = new ReportBuffer();
        buffer.report(running(1, 10, 10));
        buffer.report(running(1, 500, 70));
        buffer.report(stopped(1));
        buffer.report(running(2, 5, 5));
        assertThat(buffer.drain().reports()).containsExactly(running(1, 500, 70), stopped(1), running(2, 5, 5));
        assertThat(buffer.drain().isEmpty()).isTrue();
    }

    @Test
    void a_failed_send_is_put_back_in_order_unless_newer_news_came_in() {
        ReportBuffer buffer = new ReportBuffer();
        buffer.report(running(1, 500, 70));
        buffer.report(stopped(1));
        ReportBuffer.Batch failed = buffer.drain();
        buffer.restore(failed);
        assertThat(buffer.drain().reports()).containsExactly(running(1, 500, 70), stopped(1));

        buffer.report(running(1, 500, 70));
        buffer.report(stopped(1));
        failed = buffer.drain();
        buffer.report(running(1, 1_700_000_100, 3, 4)); // started again meanwhile: its report wins the old run's end
        buffer.restore(failed);
        assertThat(buffer.drain().reports()).containsExactly(running(1, 500, 70), running(1, 1_700_000_100, 3, 4));
    }

    @Test
    void a_new_runs_counts_do_not_replace_the_last_counts_of_the_run_before() {
        ReportBuffer buffer = new ReportBuffer();
        buffer.report(running(1, 500, 70));
        buffer.report(running(1, 1_700_000_100, 3, 4)); // rebooted: a new run
        assertThat(buffer.drain().reports()).containsExactly(running(1, 500, 70), running(1, 1_700_000_100, 3, 4));
    }

    @Test
    void a_torn_down_instance_sends_no_reports() {
        ReportBuffer buffer = new ReportBuffer();
        buffer.report(running(1, 500, 70));
        buffer.report(stopped(1));
        buffer.removed(1);
        ReportBuffer.Batch batch = buffer.drain();
        assertThat(batch.reports()).isEmpty();
        assertThat(batch.removed()).containsExactly(1L);
    }
}
