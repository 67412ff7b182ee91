package io.gpumarket.agent.launcher.limits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine whose share instances get: its CPU cores, RAM and GPUs. Cores and RAM are those the host really
 * has when the machine is described bigger (dev mode's demo machines, a typo in a declaration): a limit above
 * the host's RAM protects no neighbour.
 *
 * @param cores logical CPUs
 * @param ramMb RAM in decimal MB, as {@code cpu_ram}
 * @param gpus  GPUs of the machine; 0 for a GPU-less host (every contract gets the whole machine)
 */
public record MachineSize(int cores, long ramMb, int gpus) {
    public MachineSize {
        if (cores < 1) throw new IllegalArgumentException("a machine has at least one CPU core, got " + cores);
        if (ramMb < 1) throw new IllegalArgumentException("a machine has some RAM, got " + ramMb + " MB");
        if (gpus < 0) throw new IllegalArgumentException("GPUs cannot be negative, got " + gpus);
    }

    /** This host as it is, with {@code gpus} GPUs. */
    public static MachineSize thisHost(int gpus) {
        return new MachineSize(hostCores(), hostRamMb(), gpus);
    }

    /** The machine as described (null: as this host has it), never bigger than this host. */
    public static MachineSize described(Integer cores, Long ramMb, Integer gpus) {
        int hostCores = hostCores();
        long hostRam = hostRamMb();
        return new MachineSize(
                cores == null ? hostCores : Math.max(1, Math.min(cores, hostCores)),
                ramMb == null ? hostRam : Math.max(1, Math.min(ramMb, hostRam)),
                gpus == null ? 0 : Math.max(0, gpus));
    }

    /** The share of a contract for {@code rentedGpus} (more than the machine has counts as all of them). */
    public ResourceShare share(int rentedGpus) {
        return ResourceShare.of(cores, ramMb, gpus, Math.max(0, Math.min(rentedGpus, gpus)));
    }

    static int hostCores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** MemTotal from /proc/meminfo in decimal MB; the JVM's idea of it where that cannot be read. */
    static long hostRamMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) return Long.parseLong(line.replaceAll("\\D+", "")) * 1024 / 1_000_000;
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return Math.max(1, Runtime.getRuntime().maxMemory() / 1_000_000);
    }
}
