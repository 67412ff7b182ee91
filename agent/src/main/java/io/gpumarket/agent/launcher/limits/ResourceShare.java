package io.gpumarket.agent.launcher.limits;

/**
 * The part of the host a contract gets besides its GPUs, as on Vast: CPU cores, RAM and processes in proportion
 * to the GPUs rented ({@code cpu_cores_effective = cpu_cores × num_gpus / machine_gpus}, the same share of
 * {@code cpu_ram} and of {@link #MACHINE_PIDS}). A machine without GPUs, or a contract for all of them, gets the
 * whole machine. Exact integer arithmetic: {@code NanoCpus} and bytes are what the Engine API and the cgroup
 * files take. Both runtimes use this one rule: the container launcher passes it to the engine, the process
 * launcher writes it to the instance's cgroup.
 *
 * @param nanoCpus    CPU limit in billionths of a core (Docker's {@code --cpus} × 10⁹)
 * @param memoryBytes memory limit, swap not allowed beyond it; RAM is reported in decimal MB, so one MB is 10⁶ bytes
 * @param pids        most processes and threads at once (a fork bomb meets it, the host's pid space does not)
 */
public record ResourceShare(long nanoCpus, long memoryBytes, int pids) {
    private static final long NANO = 1_000_000_000L;
    private static final long MB = 1_000_000L;
    /**
     * Processes and threads a whole machine's instances may hold together. A training job with many data-loader
     * workers uses a few hundred threads per GPU; the Linux default pid space is 32768 per host.
     */
    public static final int MACHINE_PIDS = 16_384;
    /** No contract gets fewer: a shell, sshd sessions, a Python job and its threads must fit. */
    public static final int MIN_PIDS = 512;

    /**
     * @param machineCores logical CPUs of the host
     * @param machineRamMb RAM of the host in MB ({@code cpu_ram})
     * @param machineGpus  GPUs of the host
     * @param rentedGpus   GPUs of the contract
     */
    public static ResourceShare of(int machineCores, long machineRamMb, int machineGpus, int rentedGpus) {
        if (machineCores < 1)
            throw new IllegalArgumentException("a machine has at least one CPU core, got " + machineCores);
        if (machineRamMb < 1) throw new IllegalArgumentException("a machine has some RAM, got " + machineRamMb + " MB");
        if (rentedGpus < 0 || (machineGpus > 0 && rentedGpus > machineGpus)) {
            throw new IllegalArgumentException(rentedGpus + " GPUs rented of a machine with " + machineGpus);
        }
        if (machineGpus <= 0 || rentedGpus == machineGpus) {
            return new ResourceShare(machineCores * NANO, machineRamMb * MB, MACHINE_PIDS);
        }
        // A contract for 0 GPUs (storage-only) still needs room to run: it gets one GPU's share.
        int share = Math.max(rentedGpus, 1);
        return new ResourceShare(
                Math.multiplyExact((long) machineCores, NANO) * share / machineGpus,
                Math.multiplyExact(machineRamMb, MB) * share / machineGpus,
                Math.max(MIN_PIDS, (int) ((long) MACHINE_PIDS * share / machineGpus)));
    }

    /**
     * The share, its CPUs no more than this host has: an engine refuses a limit above them, and a machine may be
     * described bigger than the host it runs on (dev mode's demo machines).
     */
    public ResourceShare cappedTo(int hostCores) {
        return new ResourceShare(Math.min(nanoCpus, hostCores * NANO), memoryBytes, pids);
    }

    /** Cores as Vast shows {@code cpu_cores_effective}. */
    public double cores() {
        return nanoCpus / (double) NANO;
    }
}
