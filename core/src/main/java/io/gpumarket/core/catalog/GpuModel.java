package io.gpumarket.core.catalog;

/**
 * What the market knows about one GPU model, per GPU. Hosts report which GPU they have and how much memory it
 * shows; speed figures come from here so that two hosts with the same card rank the same.
 *
 * @param vramMb          memory of the common variant, MB (a host's own report wins)
 * @param fp32Tflops      dense FP32 throughput, TFLOPS
 * @param memBandwidthGbs memory bandwidth, GB/s (offers' {@code gpu_mem_bw})
 * @param computeCap      CUDA compute capability ×100 (890 = 8.9); 0 when unknown
 * @param dlperf          DLPerf estimate of one GPU (Vast's scale: about 62 for an RTX 4090)
 * @param arch            {@code nvidia} or {@code amd}
 */
public record GpuModel(
        String name,
        int vramMb,
        double fp32Tflops,
        double memBandwidthGbs,
        int computeCap,
        double dlperf,
        String arch) {

    /**
     * Each doubling of the GPUs in one bundle keeps 95% of the linear speed-up: multi-GPU training pays for
     * gradient exchange, so 8 GPUs do about 6.9× (not 8×) the work of one. Continuous in n (0.95^log2 n), so
     * odd bundle sizes fall between their neighbours; exactly 1 for a single GPU.
     */
    public static final double EFFICIENCY_PER_DOUBLING = 0.95;

    public GpuModel {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("GPU model name is required");
        if (vramMb < 0 || fp32Tflops < 0 || memBandwidthGbs < 0 || computeCap < 0 || dlperf < 0) {
            throw new IllegalArgumentException("GPU model figures must not be negative: " + name);
        }
        arch = arch == null || arch.isBlank() ? "nvidia" : arch;
    }

    /**
     * The fallback for a name the catalog does not know: zero speed figures, so the offer still lists and
     * matches by name but never outranks a card whose speed we do know (DLPerf, FLOPS and their per-dollar
     * values are 0); the host's own compute capability and memory are shown as reported.
     */
    public static GpuModel unknown(String name) {
        return new GpuModel(name, 0, 0, 0, 0, 0, "nvidia");
    }

    public boolean known() {
        return dlperf > 0 || fp32Tflops > 0;
    }

    /** Multi-GPU scaling factor for an n-GPU bundle: {@link #EFFICIENCY_PER_DOUBLING}^log2(n), 1 for n = 1. */
    public static double scaling(int gpus) {
        if (gpus < 1) throw new IllegalArgumentException("a bundle has at least one GPU, got " + gpus);
        return Math.pow(EFFICIENCY_PER_DOUBLING, Math.log(gpus) / Math.log(2));
    }

    /** DLPerf of an n-GPU bundle: per-GPU DLPerf × n × {@link #scaling(int)}. */
    public double dlperf(int gpus) {
        return dlperf * gpus * scaling(gpus);
    }

    /** TFLOPS across the bundle ({@code total_flops}): FP32 TFLOPS × n; peak figures add up linearly. */
    public double totalFlops(int gpus) {
        return fp32Tflops * gpus;
    }
}
