package io.gpumarket.core.machine;

/**
 * What a host may claim its machine has. A registration (and every {@code PUT /agent/machine/}) is a claim that
 * renters search on and that traffic is checked against (a machine's {@code inet_up}/{@code inet_down} bound what it
 * can bill, see {@code TrafficClaims}), so numbers no machine has are refused before they are stored: not finite,
 * negative, or beyond the largest single machine on sale with a wide margin. The maxima are on purpose loose;
 * they only keep nonsense (1e999 shown as "Infinity", sizes that overflow the price of a rental) out of the market.
 *
 * <p>Only new claims are checked: machines already stored load as they are (a row written before this rule must not
 * make the machine unreadable).
 */
public final class HardwareLimits {
    public static final int MAX_GPUS = 64;
    /** 1 TB of memory per GPU (today's largest carry under 200 GB). */
    public static final int MAX_GPU_RAM_MB = 1_048_576;

    public static final int MAX_CPU_CORES = 4_096;
    /** 64 TB of RAM. */
    public static final long MAX_CPU_RAM_MB = 64L * 1024 * 1024;
    /** 1 PB of disk (a rental's disk is priced per GB: 10⁶ GB keeps an hour's price far from overflow). */
    public static final double MAX_DISK_GB = 1e6;
    /** 1 Tbit/s. */
    public static final double MAX_INET_MBPS = 1e6;
    /** MB/s, GB/s, W, °C and GHz figures: anything above these is not a measurement. */
    public static final double MAX_DISK_BW = 1e6;

    public static final double MAX_PCIE_BW = 1e4;
    public static final double MAX_NVLINK_BW = 1e6;
    public static final double MAX_POWER_W = 1e5;
    public static final double MAX_TEMP_C = 1e3;
    public static final double MAX_CPU_GHZ = 100;
    public static final double MAX_CUDA = 1e3;

    private HardwareLimits() {}

    /** @throws IllegalArgumentException naming the first field out of bounds, with its value and the bound */
    public static void check(MachineSpec s) {
        range("num_gpus", s.numGpus(), 1, MAX_GPUS);
        range("gpu_ram", s.gpuRamMb(), 1, MAX_GPU_RAM_MB);
        range("cpu_cores", s.cpuCores(), 1, MAX_CPU_CORES);
        range("cpu_ram", s.cpuRamMb(), 1, MAX_CPU_RAM_MB);
        range("disk_space", s.diskSpaceGb(), Double.MIN_VALUE, MAX_DISK_GB);
        range("inet_up", s.inetUp(), 0, MAX_INET_MBPS);
        range("inet_down", s.inetDown(), 0, MAX_INET_MBPS);
        range("disk_bw", s.diskBw(), 0, MAX_DISK_BW);
        range("pcie_bw", s.pcieBw(), 0, MAX_PCIE_BW);
        range("pci_gen", s.pciGen(), 0, 100);
        range("gpu_lanes", s.gpuLanes(), 0, 1024);
        range("bw_nvlink", s.bwNvlink(), 0, MAX_NVLINK_BW);
        range("gpu_max_power", s.gpuMaxPower(), 0, MAX_POWER_W);
        range("gpu_max_temp", s.gpuMaxTemp(), 0, MAX_TEMP_C);
        range("cpu_ghz", s.cpuGhz(), 0, MAX_CPU_GHZ);
        range("cuda_max_good", s.cudaMaxGood(), 0, MAX_CUDA);
        range("compute_cap", s.computeCap(), 0, 100_000);
    }

    private static void range(String field, double value, double min, double max) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(field + " must be a finite number, got " + value);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    field + " must be between " + plain(min) + " and " + plain(max) + ", got " + plain(value));
        }
    }

    private static String plain(double v) {
        if (v == Double.MIN_VALUE) return "0 (exclusive)";
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
