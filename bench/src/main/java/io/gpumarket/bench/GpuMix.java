package io.gpumarket.bench;

import java.util.List;

/**
 * The GPU models of the synthetic market, how common each is, and what it rents for: roughly the shape of a
 * public GPU marketplace, where RTX 4090s and 3090s are most of the supply and H100s are a few percent.
 *
 * @param share       relative popularity (machines with this model)
 * @param dollarsHour typical on-demand price per GPU-hour; each listing adds noise around it
 * @param datacenter  a datacenter part: mostly 8-GPU servers with fast networks, rarely single cards
 */
record GpuMix(String name, double share, double dollarsHour, boolean datacenter) {

    static final List<GpuMix> MODELS = List.of(
            new GpuMix("RTX 4090", 22, 0.35, false),
            new GpuMix("RTX 3090", 18, 0.20, false),
            new GpuMix("RTX 3080", 5, 0.12, false),
            new GpuMix("RTX 3080 Ti", 2, 0.14, false),
            new GpuMix("RTX 3070", 4, 0.08, false),
            new GpuMix("RTX 3060", 5, 0.06, false),
            new GpuMix("RTX 4080", 4, 0.22, false),
            new GpuMix("RTX 4070 Ti", 2, 0.16, false),
            new GpuMix("RTX 4070", 3, 0.13, false),
            new GpuMix("RTX 4060 Ti", 2, 0.10, false),
            new GpuMix("RTX 5090", 4, 0.60, false),
            new GpuMix("RTX A4000", 2, 0.12, false),
            new GpuMix("RTX A5000", 3, 0.20, false),
            new GpuMix("RTX A6000", 4, 0.45, false),
            new GpuMix("RTX 6000Ada", 2, 0.75, false),
            new GpuMix("L4", 1, 0.25, true),
            new GpuMix("L40", 1, 0.70, true),
            new GpuMix("L40S", 2, 0.85, true),
            new GpuMix("A10", 1, 0.25, true),
            new GpuMix("A40", 2, 0.40, true),
            new GpuMix("A100 PCIE", 2, 0.80, true),
            new GpuMix("A100 SXM4", 4, 1.10, true),
            new GpuMix("H100 PCIE", 1.5, 1.80, true),
            new GpuMix("H100 SXM", 2.5, 2.30, true),
            new GpuMix("H200", 0.5, 3.00, true),
            new GpuMix("B200", 0.2, 4.50, true),
            new GpuMix("V100", 1, 0.20, true),
            new GpuMix("T4", 1, 0.10, true),
            new GpuMix("Tesla P100", 0.5, 0.08, true));

    static final Weighted<GpuMix> PICK = new Weighted<>(MODELS, GpuMix::share);

    /** GPUs per machine: hobbyists have one or two cards, datacenters mostly eight. */
    private static final Weighted<Integer> CONSUMER_GPUS = counts(50, 25, 15, 10);

    private static final Weighted<Integer> DATACENTER_GPUS = counts(10, 10, 25, 55);

    Weighted<Integer> gpuCounts() {
        return datacenter ? DATACENTER_GPUS : CONSUMER_GPUS;
    }

    private static Weighted<Integer> counts(double one, double two, double four, double eight) {
        double[] w = {one, two, four, eight};
        return new Weighted<>(List.of(1, 2, 4, 8), n -> w[Integer.numberOfTrailingZeros(n)]);
    }
}
