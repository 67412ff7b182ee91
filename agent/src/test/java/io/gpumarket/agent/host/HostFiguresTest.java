package io.gpumarket.agent.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the agent reads of its host: CUDA from nvidia-smi's header, Mbps from a timed transfer. */
class HostFiguresTest {
    @Test
    void the_cuda_version_is_read_from_nvidia_smis_header() {
        String header = """
                +-----------------------------------------------------------------------------------------+
                | NVIDIA-SMI 570.124.06             Driver Version: 570.124.06     CUDA Version: 12.8     |
                |-----------------------------------------+------------------------+----------------------+""";
        assertThat(Fingerprint.NvidiaSmi.cudaIn(header)).isEqualTo(12.8);
        assertThat(Fingerprint.NvidiaSmi.cudaIn("No devices were found")).isNull();
    }

    @Test
    void a_timed_transfer_is_megabits_per_second_capped_for_loopback() {
        assertThat(SpeedTest.mbps(1_000_000, 80_000_000L)).isEqualTo(100.0); // 8 Mbit in 80 ms
        assertThat(SpeedTest.mbps(1_000_000, 1)).isEqualTo(SpeedTest.MAX_MBPS);
        assertThat(SpeedTest.mbps(1_000_000, 0)).isEqualTo(SpeedTest.MAX_MBPS);
    }
}
