package io.gpumarket.server.service;

import io.gpumarket.api.host.MachineRegistration;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.machine.HardwareLimits;
import io.gpumarket.core.machine.MachineSpec;

/**
 * A host's registration to a validated {@link MachineSpec}, with the documented defaults for optional fields; numbers
 * no machine has are refused ({@link HardwareLimits}).
 */
final class MachineSpecs {
    private MachineSpecs() {}

    static MachineSpec from(MachineRegistration r) {
        require(r.gpuName() != null, "gpu_name");
        require(r.numGpus() != null, "num_gpus");
        require(r.gpuRam() != null, "gpu_ram");
        require(r.cpuCores() != null, "cpu_cores");
        require(r.cpuRam() != null, "cpu_ram");
        require(r.diskSpace() != null, "disk_space");
        require(r.geolocation() != null, "geolocation");
        try {
            MachineSpec spec = new MachineSpec(r.gpuName().trim(), r.numGpus(), r.gpuRam(), or(r.gpuArch(), "nvidia"), or(r.computeCap(), 0),
                    or(r.cudaMaxGood(), 12.4), or(r.driverVersion(), "550.54.15"), or(r.pcieBw(), 12.0), or(r.pciGen(), 4.0),
                    or(r.gpuLanes(), 16), or(r.gpuMaxPower(), 0.0), or(r.gpuMaxTemp(), 0.0), or(r.bwNvlink(), 0.0),
                    or(r.gpuDisplayActive(), false), or(r.cpuName(), "unknown"), or(r.cpuArch(), "amd64"), r.cpuCores(),
                    or(r.cpuGhz(), 0.0), r.cpuRam(), or(r.hasAvx(), true), r.diskSpace(), or(r.diskBw(), 0.0),
                    or(r.diskName(), "unknown"), or(r.inetUp(), 0.0), or(r.inetDown(), 0.0), or(r.moboName(), "unknown"),
                    or(r.osVersion(), "22.04"), r.publicIpaddr(), r.hostname(), or(r.directPortStart(), -1),
                    or(r.directPortEnd(), -1), r.geolocation().trim(), or(r.datacenter(), false), or(r.staticIp(), false),
                    or(r.vmsEnabled(), false));
            // a registration is a claim: numbers no machine has are refused before they reach search or billing
            HardwareLimits.check(spec);
            return spec;
        } catch (IllegalArgumentException e) {
            throw new DomainException.BadRequest("invalid_args", e.getMessage());
        }
    }

    private static void require(boolean present, String field) {
        if (!present) throw new DomainException.BadRequest("invalid_args", "'" + field + "' is required to register a machine");
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
