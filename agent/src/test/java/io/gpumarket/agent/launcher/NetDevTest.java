package io.gpumarket.agent.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class NetDevTest {
    static final List<String> TABLE = List.of(
            "Inter-|   Receive                                                |  Transmit",
            " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed",
            "    lo:     900       9    0    0    0     0          0         0      900       9    0    0    0     0       0          0",
            "  eth0:    3050      41    0    0    0     0          0         0  2100927      53    0    0    0     0       0          0",
            "  eth1:      50       1    0    0    0     0          0         0       73       1    0    0    0     0       0          0");

    @Test
    void bytes_received_and_sent_add_up_over_every_interface_but_loopback() {
        assertThat(NetDev.parse(TABLE)).isEqualTo(new NetDev.Counters(3100, 2101000));
    }

    @Test
    void a_namespace_with_only_loopback_moved_nothing() {
        assertThat(NetDev.parse(TABLE.subList(0, 3))).isEqualTo(new NetDev.Counters(0, 0));
    }

    @Test
    void a_line_that_is_not_a_counter_row_is_refused_and_a_missing_process_reads_as_unknown() {
        assertThatThrownBy(() -> NetDev.parse(List.of("eth0: 1 2 3"))).hasMessageContaining("not a /proc/net/dev line");
        assertThat(NetDev.ofProcess(Integer.MAX_VALUE)).isNull();
        assertThat(NetDev.ofProcess(ProcessHandle.current().pid()))
                .as("this JVM's own namespace")
                .isNotNull();
    }
}
