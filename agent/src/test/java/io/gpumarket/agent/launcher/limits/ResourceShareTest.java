package io.gpumarket.agent.launcher.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ResourceShareTest {
    @Test
    void cpu_and_ram_follow_the_share_of_gpus_rented() {
        ResourceShare two = ResourceShare.of(32, 256_000, 8, 2);
        assertThat(two.nanoCpus()).isEqualTo(8_000_000_000L);
        assertThat(two.memoryBytes()).isEqualTo(64_000_000_000L);
        assertThat(two.cores()).isEqualTo(8.0);
    }

    @Test
    void uneven_shares_keep_fractions_of_a_core_and_round_bytes_down() {
        ResourceShare one = ResourceShare.of(10, 1_000, 3, 1);
        assertThat(one.nanoCpus()).isEqualTo(3_333_333_333L);
        assertThat(one.memoryBytes()).isEqualTo(333_333_333L);
    }

    @Test
    void all_gpus_or_a_gpu_less_machine_get_the_whole_machine() {
        assertThat(ResourceShare.of(16, 64_000, 4, 4))
                .isEqualTo(new ResourceShare(16_000_000_000L, 64_000_000_000L, ResourceShare.MACHINE_PIDS));
        assertThat(ResourceShare.of(16, 64_000, 0, 0))
                .isEqualTo(new ResourceShare(16_000_000_000L, 64_000_000_000L, ResourceShare.MACHINE_PIDS));
    }

    @Test
    void a_contract_without_gpus_gets_one_gpus_share() {
        assertThat(ResourceShare.of(16, 64_000, 4, 0)).isEqualTo(ResourceShare.of(16, 64_000, 4, 1));
    }

    @Test
    void the_cpu_limit_never_exceeds_the_cores_the_host_really_has() {
        ResourceShare share = ResourceShare.of(64, 512_000, 8, 4).cappedTo(2);
        assertThat(share.nanoCpus()).isEqualTo(2_000_000_000L);
        assertThat(share.memoryBytes()).isEqualTo(256_000_000_000L);
    }

    @Test
    void more_gpus_than_the_machine_has_is_refused_naming_both() {
        assertThatThrownBy(() -> ResourceShare.of(8, 1_000, 2, 3))
                .hasMessageContaining("3 GPUs rented of a machine with 2");
    }

    @Test
    void processes_follow_the_share_with_a_floor_for_small_shares() {
        assertThat(ResourceShare.of(32, 256_000, 8, 2).pids()).isEqualTo(ResourceShare.MACHINE_PIDS / 4);
        assertThat(ResourceShare.of(32, 256_000, 16, 1).pids()).isEqualTo(1024);
        assertThat(ResourceShare.of(32, 256_000, 64, 1).pids()).isEqualTo(ResourceShare.MIN_PIDS);
        assertThat(ResourceShare.of(32, 256_000, 0, 0).pids()).isEqualTo(ResourceShare.MACHINE_PIDS);
    }
}
