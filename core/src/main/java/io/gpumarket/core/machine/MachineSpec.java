package io.gpumarket.core.machine;

import java.util.regex.Pattern;

/**
 * The hardware a host reports when it registers a machine (units as on Vast offers: MB for RAM, GB for disk,
 * Mb/s for the network, GB/s for PCIe and GPU memory bandwidth). Per-model figures (TFLOPS, DLPerf) come
 * from the GPU catalog, not from the host.
 *
 * @param geolocation "City, CC" text; {@link #countryCode()} is its last two letters
 * @param datacenter  Vast's {@code hosting_type} 1 (the virtual {@code datacenter} filter)
 * @param directPortStart first port of the range the host forwards to instances, -1 when it has none
 */
public record MachineSpec(
        String gpuName,
        int numGpus,
        int gpuRamMb,
        String gpuArch,
        int computeCap,
        double cudaMaxGood,
        String driverVersion,
        double pcieBw,
        double pciGen,
        int gpuLanes,
        double gpuMaxPower,
        double gpuMaxTemp,
        double bwNvlink,
        boolean gpuDisplayActive,
        String cpuName,
        String cpuArch,
        int cpuCores,
        double cpuGhz,
        long cpuRamMb,
        boolean hasAvx,
        double diskSpaceGb,
        double diskBw,
        String diskName,
        double inetUp,
        double inetDown,
        String moboName,
        String osVersion,
        String publicIpaddr,
        String hostname,
        int directPortStart,
        int directPortEnd,
        String geolocation,
        boolean datacenter,
        boolean staticIp,
        boolean vmsEnabled) {

    public MachineSpec {
        require(gpuName != null && !gpuName.isBlank(), "gpu_name is required");
        require(numGpus >= 1 && numGpus <= 64, "num_gpus must be between 1 and 64, got " + numGpus);
        require(gpuRamMb > 0, "gpu_ram must be positive (MB), got " + gpuRamMb);
        require(cpuCores > 0, "cpu_cores must be positive, got " + cpuCores);
        require(cpuRamMb > 0, "cpu_ram must be positive (MB), got " + cpuRamMb);
        require(diskSpaceGb > 0, "disk_space must be positive (GB), got " + diskSpaceGb);
        require(
                directPortStart == -1
                        ? directPortEnd == -1
                        : directPortStart > 0 && directPortEnd >= directPortStart && directPortEnd <= 65535,
                "direct port range must be -1..-1 or 1 <= start <= end <= 65535, got " + directPortStart + ".."
                        + directPortEnd);
        require(
                geolocation != null && COUNTRY_AT_END.matcher(geolocation).matches(),
                "geolocation must end with a two-letter country code, e.g. \"Oslo, NO\"; got " + geolocation);
        gpuArch = gpuArch == null ? "nvidia" : gpuArch;
        cpuArch = cpuArch == null ? "amd64" : cpuArch;
        // A market holds every machine's spec, and each rent or report reads one afresh: the texts most machines
        // share (models, CPUs, drivers, places) are kept once, not once per machine and read (~20 MB at 100,000
        // machines). The JVM's string table holds them weakly, so a text no machine has any more goes.
        gpuName = gpuName.intern();
        gpuArch = gpuArch.intern();
        driverVersion = shared(driverVersion);
        cpuName = shared(cpuName);
        cpuArch = cpuArch.intern();
        diskName = shared(diskName);
        moboName = shared(moboName);
        osVersion = shared(osVersion);
        geolocation = geolocation.intern();
    }

    private static final Pattern COUNTRY_AT_END = Pattern.compile(".*\\b[A-Z]{2}$");

    private static String shared(String s) {
        return s == null ? null : s.intern();
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }

    public int directPortCount() {
        return directPortStart < 0 ? 0 : directPortEnd - directPortStart + 1;
    }

    public String countryCode() {
        return geolocation.substring(geolocation.length() - 2);
    }

    /** Driver version as Vast's integer {@code driver_vers}: 535.86.05 → 535086005. */
    public long driverVers() {
        return DriverVersion.toInt(driverVersion);
    }
}
