package io.gpumarket.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import io.gpumarket.api.agent.InstanceReport;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ActualStatusTest {

    @Test
    void every_status_keeps_the_wire_string_vast_uses() {
        assertThat(Arrays.stream(ActualStatus.values()).map(ActualStatus::wire))
                .containsExactly(
                        "created",
                        "loading",
                        "running",
                        "stopped",
                        "exited",
                        "rebooting",
                        "recycling",
                        "frozen",
                        "unknown",
                        "offline",
                        "scheduling");
    }

    @Test
    void agents_may_report_all_but_the_statuses_the_server_computes() {
        assertThat(ActualStatus.REPORTABLE)
                .map(ActualStatus::wire)
                .containsExactly(
                        "created", "loading", "running", "stopped", "exited", "rebooting", "recycling", "frozen");
        assertThat(ActualStatus.UNKNOWN.reportable()).isFalse();
        assertThat(ActualStatus.OFFLINE.reportable()).isFalse();
        assertThat(ActualStatus.SCHEDULING.reportable()).isFalse();
    }

    @Test
    void a_wire_string_names_its_status_and_nothing_else_names_one() {
        for (ActualStatus s : ActualStatus.values())
            assertThat(ActualStatus.fromWire(s.wire())).contains(s);
        assertThat(ActualStatus.fromWire("RUNNING")).isEmpty();
        assertThat(ActualStatus.fromWire("hibernating")).isEmpty();
        assertThat(ActualStatus.fromWire(null)).isEmpty();
    }

    @Test
    void a_report_on_the_wire_carries_the_string_as_before() throws Exception {
        var report = new InstanceReport(7, ActualStatus.RUNNING, "ok", 40001, 1.5, 0.25, 1_700_000_000L, 3);

        String json = Wire.mapper().writeValueAsString(report);

        assertThat(Wire.mapper().readTree(json).get("actual_status").asText()).isEqualTo("running");
        assertThat(Wire.mapper().readValue(json, InstanceReport.class)).isEqualTo(report);
    }

    @Test
    void a_report_with_a_status_no_one_knows_is_not_read_as_a_guess() {
        String json = "{\"id\": 7, \"actual_status\": \"hibernating\", \"status_msg\": \"\", \"ssh_port\": 0,"
                + " \"disk_usage_gb\": 0, \"cpu_util\": 0, \"started_at\": 0, \"applied_revision\": 0}";

        assertThatThrownBy(() -> Wire.mapper().readValue(json, InstanceReport.class))
                .isInstanceOf(InvalidFormatException.class);
    }
}
