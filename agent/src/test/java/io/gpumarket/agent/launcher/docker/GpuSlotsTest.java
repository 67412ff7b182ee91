package io.gpumarket.agent.launcher.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GpuSlotsTest {
    @Test
    void the_lowest_free_gpus_are_given() {
        assertThat(GpuSlots.assign(8, List.of(List.of(0, 1), List.of(3)), 3)).containsExactly(2, 4, 5);
        assertThat(GpuSlots.assign(4, List.of(), 0)).isEmpty();
    }

    @Test
    void too_few_free_gpus_is_refused_naming_the_held_ones() {
        assertThatThrownBy(() -> GpuSlots.assign(2, List.of(List.of(1)), 2)).hasMessageContaining("held: [1]");
    }

    @Test
    void labels_read_back_as_they_were_written_and_garbage_holds_nothing() {
        assertThat(GpuSlots.parse(GpuSlots.format(List.of(0, 2, 5)))).containsExactly(0, 2, 5);
        assertThat(GpuSlots.parse("")).isEmpty();
        assertThat(GpuSlots.parse("0,x")).isEmpty();
    }
}
