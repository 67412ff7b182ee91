package io.gpumarket.testkit;

import io.gpumarket.core.machine.Listing;
import io.gpumarket.core.machine.MachineSpec;

/** Plausible hardware and terms for tests that need a machine but do not care which. */
public final class MachineSamples {
    private MachineSamples() {}

    /** An RTX 4090 box with the given number of GPUs, every optional field filled in. */
    public static MachineSpec spec(int numGpus) {
        return spec(numGpus, 940.2, 910.7);
    }

    /** The same box with another declared link (Mbit/s up and down), which bounds the traffic it may bill. */
    public static MachineSpec spec(int numGpus, double inetUp, double inetDown) {
        return new MachineSpec(
                "RTX 4090",
                numGpus,
                24_564,
                "nvidia",
                890,
                12.4,
                "550.54.14",
                25.3,
                4.0,
                16,
                450.0,
                83.0,
                0.0,
                false,
                "AMD EPYC 7763 64-Core Processor",
                "amd64",
                32,
                2.45,
                257_000L,
                true,
                1_800.5,
                3_200.0,
                "Samsung SSD 990 PRO 2TB",
                inetUp,
                inetDown,
                "ROMED8-2T",
                "Ubuntu 22.04.4 LTS",
                "203.0.113.7",
                "gpu-box-1",
                40_000,
                40_099,
                "Oslo, NO",
                false,
                true,
                false);
    }

    /** $0.40/GPU/h on demand, bundles of {@code minChunk} and up, offered until 2030. */
    public static Listing listing(int minChunk) {
        return new Listing(400_000, 150_000, 10_000, 5_000, 200_000, minChunk, 1_893_456_000L, 0.2);
    }
}
