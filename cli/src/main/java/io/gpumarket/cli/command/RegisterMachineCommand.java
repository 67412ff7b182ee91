package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code register machine}: registers a host machine, {@code POST /api/v0/host/machines/} with the body of
 * docs/hosting.md (units there), so an operator never writes the JSON by hand; prints the machine id and its agent
 * token (shown once). The agent's own report replaces what it can measure when it starts.
 */
@Command(
        name = "machine",
        mixinStandardHelpOptions = true,
        description = "[Host] Register a machine; prints its id and agent token.",
        footer = {
            "",
            "Example: gpumarket register machine --gpu-name 'RTX 4090' --num-gpus 2 --gpu-ram 24564 --cpu-cores 32 \\",
            "           --cpu-ram 128000 --disk 2000 --location 'Oslo, NO' --public-ip 203.0.113.7 --ports 40000-40099 \\",
            "           --inet-down 940 --inet-up 800 --cuda 12.8 --driver 570.124.06"
        })
public final class RegisterMachineCommand extends ClientCommand {
    @Option(names = "--gpu-name", required = true, description = "Vast's GPU name, e.g. 'RTX 4090', 'H100 SXM'")
    String gpuName;

    @Option(names = "--num-gpus", required = true, description = "GPUs in the machine")
    int numGpus;

    @Option(names = "--gpu-ram", required = true, description = "MB per GPU (24564 for an RTX 4090)")
    int gpuRam;

    @Option(names = "--cpu-cores", required = true, description = "vCPUs")
    int cpuCores;

    @Option(names = "--cpu-ram", required = true, description = "MB of RAM (decimal)")
    long cpuRam;

    @Option(names = "--disk", required = true, description = "GB offered to instances")
    double disk;

    @Option(names = "--location", required = true, description = "'City, CC' (two-letter country code last)")
    String location;

    @Option(names = "--public-ip", description = "the address renters connect to")
    String publicIp;

    @Option(names = "--ports", description = "the direct port range, START-END (SSH and published ports)")
    String ports;

    @Option(names = "--inet-up", description = "upload speed, Mbps")
    Double inetUp;

    @Option(names = "--inet-down", description = "download speed, Mbps")
    Double inetDown;

    @Option(names = "--cuda", description = "highest CUDA version the driver supports (cuda_max_good), e.g. 12.8")
    Double cuda;

    @Option(names = "--driver", description = "NVIDIA driver version, e.g. 570.124.06")
    String driver;

    @Option(names = "--compute-cap", description = "compute capability × 100 (890 for Ada); default: the GPU catalog's")
    Integer computeCap;

    @Option(names = "--datacenter", description = "a datacenter machine (hosting_type 1)")
    boolean datacenter;

    @Override
    protected int run() {
        Integer start = null;
        Integer end = null;
        if (ports != null) {
            String[] range = ports.split("-");
            if (range.length != 2) throw new IllegalArgumentException("--ports must be START-END, got " + ports);
            start = Integer.parseInt(range[0].trim());
            end = Integer.parseInt(range[1].trim());
        }
        JsonNode answer = api().post(
                        "/host/machines/",
                        body(
                                "gpu_name",
                                gpuName,
                                "num_gpus",
                                numGpus,
                                "gpu_ram",
                                gpuRam,
                                "compute_cap",
                                computeCap,
                                "cuda_max_good",
                                cuda,
                                "driver_version",
                                driver,
                                "cpu_cores",
                                cpuCores,
                                "cpu_ram",
                                cpuRam,
                                "disk_space",
                                disk,
                                "inet_up",
                                inetUp,
                                "inet_down",
                                inetDown,
                                "public_ipaddr",
                                publicIp,
                                "direct_port_start",
                                start,
                                "direct_port_end",
                                end,
                                "geolocation",
                                location,
                                "datacenter",
                                datacenter));
        return reportSuccess(
                answer,
                "registered machine " + answer.path("machine_id").asLong() + "; agent token (shown once): "
                        + answer.path("machine_token").asText()
                        + "\nnext: on the machine, as root, gpumarket agent install --server " + config().url()
                        + " --token TOKEN (docs/hosting.md, \"Installing\"); then gpumarket list machine "
                        + answer.path("machine_id").asLong() + " -g PRICE, and ask the operator to verify it");
    }
}
