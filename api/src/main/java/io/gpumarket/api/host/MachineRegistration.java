package io.gpumarket.api.host;

/**
 * What a host sends to register a machine ({@code POST /api/v0/host/machines/}); names and units as on Vast
 * offers: {@code gpu_ram} and {@code cpu_ram} in MB, {@code disk_space} in GB, {@code inet_up}/{@code inet_down}
 * in Mb/s. Optional fields may be null; the server fills documented defaults.
 */
public record MachineRegistration(
        String gpuName, Integer numGpus, Integer gpuRam, String gpuArch, Integer computeCap, Double cudaMaxGood,
        String driverVersion, Double pcieBw, Double pciGen, Integer gpuLanes, Double gpuMaxPower, Double gpuMaxTemp,
        Double bwNvlink, Boolean gpuDisplayActive,
        String cpuName, String cpuArch, Integer cpuCores, Double cpuGhz, Long cpuRam, Boolean hasAvx,
        Double diskSpace, Double diskBw, String diskName,
        Double inetUp, Double inetDown,
        String moboName, String osVersion,
        String publicIpaddr, String hostname, Integer directPortStart, Integer directPortEnd,
        String geolocation, Boolean datacenter, Boolean staticIp, Boolean vmsEnabled) {

    /** The fields every host must report; the rest have defaults. */
    public static MachineRegistration minimal(String gpuName, int numGpus, int gpuRamMb, int cpuCores, long cpuRamMb,
                                              double diskSpaceGb, String geolocation) {
        return new MachineRegistration(gpuName, numGpus, gpuRamMb, null, null, null, null, null, null, null, null,
                null, null, null, null, null, cpuCores, null, cpuRamMb, null, diskSpaceGb, null, null, null, null,
                null, null, null, null, null, null, geolocation, null, null, null);
    }
}
