package io.gpumarket.core.machine;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HardwareLimitsTest {
    static MachineSpec spec(double diskGb, double inetUp, int gpus) {
        return new MachineSpec(
                "RTX 4090",
                gpus,
                24_576,
                "nvidia",
                890,
                12.4,
                "550.54.15",
                12.0,
                4.0,
                16,
                450.0,
                90.0,
                0.0,
                false,
                "AMD",
                "amd64",
                16,
                4.5,
                64_000,
                true,
                diskGb,
                3000.0,
                "NVMe",
                inetUp,
                1000.0,
                "X670E",
                "22.04",
                "127.0.0.1",
                "h",
                -1,
                -1,
                "Oslo, NO",
                false,
                false,
                false);
    }

    @Test
    void an_ordinary_machine_passes() {
        assertThatCode(() -> HardwareLimits.check(spec(2_000, 800, 8))).doesNotThrowAnyException();
        assertThatCode(() -> HardwareLimits.check(spec(1e6, 1e6, 64)))
                .as("the maxima themselves")
                .doesNotThrowAnyException();
    }

    @Test
    void an_infinite_disk_is_refused_naming_the_field() {
        assertThatThrownBy(() -> HardwareLimits.check(spec(Double.POSITIVE_INFINITY, 800, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("disk_space must be a finite number");
    }

    @Test
    void a_petabyte_and_more_of_disk_or_a_faster_link_than_a_terabit_is_refused() {
        assertThatThrownBy(() -> HardwareLimits.check(spec(1.5e6, 800, 1)))
                .hasMessageContaining("disk_space must be between");
        assertThatThrownBy(() -> HardwareLimits.check(spec(100, 2e6, 1)))
                .hasMessageContaining("inet_up must be between 0 and 1000000");
        assertThatThrownBy(() -> HardwareLimits.check(spec(100, -1, 1))).hasMessageContaining("inet_up");
    }
}
