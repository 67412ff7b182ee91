package io.gpumarket.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.api.ActualStatus;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The wire's and the store's actual statuses are one list: same constants, wire strings and reportable flags. */
class ActualStatusesTest {
    @Test
    void every_wire_status_has_the_same_core_status_and_back() {
        assertThat(Arrays.stream(ActualStatus.values()).map(Enum::name))
                .containsExactlyElementsOf(Arrays.stream(io.gpumarket.core.instance.ActualStatus.values())
                        .map(Enum::name)
                        .toList());
        for (ActualStatus wire : ActualStatus.values()) {
            io.gpumarket.core.instance.ActualStatus core = ActualStatuses.toCore(wire);
            assertThat(core.wire()).isEqualTo(wire.wire());
            assertThat(core.reportable()).isEqualTo(wire.reportable());
            assertThat(ActualStatuses.toWire(core)).isEqualTo(wire);
        }
        assertThat(ActualStatuses.toCore(null)).isNull();
        assertThat(ActualStatuses.toWire(null)).isNull();
    }
}
