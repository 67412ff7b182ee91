package io.gpumarket.testkit;

import io.gpumarket.api.host.MachineRegistration;

/** Machine registrations for tests, complete enough to show every offer field. */
public final class TestMachines {
    private TestMachines() {}

    /** A machine with {@code n} GPUs of {@code gpu}, in {@code geolocation}, with 100 direct ports from {@code portStart} (-1: none). */
    public static MachineRegistration machine(String gpu, int n, String geolocation, int portStart) {
        return new MachineRegistration(
                gpu,
                n,
                24576,
                "nvidia",
                890,
                12.8,
                "570.124.06",
                12.0,
                4.0,
                16,
                450.0,
                90.0,
                0.0,
                false,
                "AMD Ryzen 9 7950X",
                "amd64",
                8 * n,
                4.5,
                32_000L * n,
                true,
                200.0 * n,
                3000.0,
                "NVMe",
                800.0,
                1000.0,
                "X670E",
                "22.04",
                "127.0.0.1",
                "test-host",
                portStart,
                portStart < 0 ? -1 : portStart + 99,
                geolocation,
                false,
                false,
                false);
    }
}
