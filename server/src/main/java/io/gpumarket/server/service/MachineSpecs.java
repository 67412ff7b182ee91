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
            MachineSpec spec = new MachineSpec(
                    r.gpuName().trim(),
                    r.numGpus(),
                    r.gpuRam(),
                    or(r.gpuArch(), "nvidia"),
                    or(r.computeCap(), 0),
                    or(r.cudaMaxGood(), 12.4),
                    or(r.driverVersion(), "550.54.15"),
                    or(r.pcieBw(), 12.0),
                    or(r.pciGen(), 4.0),
                    or(r.gpuLanes(), 16),
                    or(r.gpuMaxPower(), 0.0),
                    or(r.gpuMaxTemp(), 0.0),
                    or(r.bwNvlink(), 0.0),
                    or(r.gpuDisplayActive(), false),
                    or(r.cpuName(), "unknown"),
                    or(r.cpuArch(), "amd64"),
                    r.cpuCores(),
                    or(r.cpuGhz(), 0.0),
                    r.cpuRam(),
                    or(r.hasAvx(), true),
                    r.diskSpace(),
                    or(r.diskBw(), 0.0),
                    or(r.diskName(), "unknown"),
                    or(r.inetUp(), 0.0),
                    or(r.inetDown(), 0.0),
                    or(r.moboName(), "unknown"),
                    or(r.osVersion(), "22.04"),
                    r.publicIpaddr(),
                    r.hostname(),
                    or(r.directPortStart(), -1),
                    or(r.directPortEnd(), -1),
                    r.geolocation().trim(),
                    or(r.datacenter(), false),
                    or(r.staticIp(), false),
                    or(r.vmsEnabled(), false));
            // a registration is a claim: numbers no machine has are refused before they reach search or billing
            HardwareLimits.check(spec);
            return spec;
        } catch (IllegalArgumentException e) {
            throw new DomainException.BadRequest("invalid_args", e.getMessage());
        }
    }

    /**
     * The agent's report with every optional figure it left out taken from what the machine has now (its
     * registration, or an earlier report): a host registered with a measured network speed or CUDA version keeps
     * them when its agent cannot measure them. Network speeds are kept unless the agent measured better ones: a speed
     * test against the market's server measures that path only (and a busy host measures low), while the host's
     * registration may state its uplink as measured elsewhere.
     */
    static MachineRegistration keeping(MachineRegistration r, MachineSpec now) {
        if (now == null) return r;
        return new MachineRegistration(
                r.gpuName(),
                r.numGpus(),
                r.gpuRam(),
                or(r.gpuArch(), now.gpuArch()),
                or(r.computeCap(), now.computeCap() > 0 ? now.computeCap() : null),
                or(r.cudaMaxGood(), now.cudaMaxGood()),
                or(r.driverVersion(), now.driverVersion()),
                or(r.pcieBw(), now.pcieBw()),
                or(r.pciGen(), now.pciGen()),
                or(r.gpuLanes(), now.gpuLanes()),
                or(r.gpuMaxPower(), now.gpuMaxPower()),
                or(r.gpuMaxTemp(), now.gpuMaxTemp()),
                or(r.bwNvlink(), now.bwNvlink()),
                or(r.gpuDisplayActive(), now.gpuDisplayActive()),
                or(r.cpuName(), now.cpuName()),
                or(r.cpuArch(), now.cpuArch()),
                r.cpuCores(),
                or(r.cpuGhz(), now.cpuGhz()),
                r.cpuRam(),
                or(r.hasAvx(), now.hasAvx()),
                r.diskSpace(),
                or(r.diskBw(), now.diskBw()),
                or(r.diskName(), now.diskName()),
                better(r.inetUp(), now.inetUp()),
                better(r.inetDown(), now.inetDown()),
                or(r.moboName(), now.moboName()),
                or(r.osVersion(), now.osVersion()),
                or(r.publicIpaddr(), now.publicIpaddr()),
                or(r.hostname(), now.hostname()),
                r.directPortStart(),
                r.directPortEnd(),
                r.geolocation(),
                or(r.datacenter(), now.datacenter()),
                or(r.staticIp(), now.staticIp()),
                or(r.vmsEnabled(), now.vmsEnabled()));
    }

    private static Double better(Double reported, double now) {
        return reported == null ? now : Math.max(reported, now);
    }

    private static void require(boolean present, String field) {
        if (!present)
            throw new DomainException.BadRequest("invalid_args", "'" + field + "' is required to register a machine");
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
