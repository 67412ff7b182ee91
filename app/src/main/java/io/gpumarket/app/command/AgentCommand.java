package io.gpumarket.app.command;

import io.gpumarket.agent.Agent;
import io.gpumarket.agent.AgentConfig;
import io.gpumarket.agent.metrics.MetricsListen;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gpumarket agent}: runs a host's machine for the market. */
@Command(
        name = "agent",
        mixinStandardHelpOptions = true,
        description = "Run the host agent for one machine (authenticated with its machine token).")
public final class AgentCommand implements Callable<Integer> {
    @Option(names = "--server", required = true, description = "the gpumarket server URL")
    String server;

    @Option(names = "--token", required = true, description = "the machine token from registering the machine")
    String token;

    @Option(names = "--gpus", description = "declared GPUs when there is no nvidia-smi, e.g. \"2x RTX 4090\"")
    String gpus;

    @Option(
            names = "--gpu-ram",
            defaultValue = "24576",
            description = "per-GPU VRAM in MB of declared GPUs (default ${DEFAULT-VALUE})")
    int gpuRam;

    @Option(names = "--state", description = "state directory (default $GPUMARKET_HOME/agent)")
    Path state;

    @Option(
            names = "--public-ip",
            defaultValue = "127.0.0.1",
            description = "address renters connect to (default ${DEFAULT-VALUE})")
    String publicIp;

    @Option(
            names = "--bind",
            defaultValue = "0.0.0.0",
            description = "where SSH listeners bind (default ${DEFAULT-VALUE})")
    String bind;

    @Option(
            names = "--ports",
            defaultValue = "40000-40099",
            description = "direct port range (default ${DEFAULT-VALUE})")
    String ports;

    @Option(names = "--location", defaultValue = "Unknown, US", description = "\"City, CC\" (default ${DEFAULT-VALUE})")
    String location;

    @Option(
            names = "--disk",
            paramLabel = "GB",
            description = "disk offered to instances in GB (default: the free space of the state directory)")
    Double disk;

    @Option(
            names = "--runtime",
            defaultValue = "process",
            description =
                    "how instances run: process (sandboxed processes) or docker (containers via the Docker Engine API: Docker or `podman system service`) (default ${DEFAULT-VALUE})")
    String runtime;

    @Option(
            names = "--docker-host",
            description = "the engine's socket for --runtime docker (default $DOCKER_HOST, else "
                    + AgentConfig.DEFAULT_DOCKER_HOST + ")")
    String dockerHost;

    @Option(
            names = "--allow-weak-isolation",
            description =
                    "run the process runtime even where this host cannot isolate instances (no bubblewrap, user namespaces or pasta): "
                            + "instances then share the host's network and run as its root. Only for machines you do not rent to strangers")
    boolean allowWeakIsolation;

    @Option(
            names = "--inet-up",
            paramLabel = "MBPS",
            description = "upload speed to report where the agent's speed test against the server cannot run (Mbps)")
    Double inetUp;

    @Option(
            names = "--inet-down",
            paramLabel = "MBPS",
            description = "download speed to report where the agent's speed test against the server cannot run (Mbps)")
    Double inetDown;

    @Option(
            names = "--cuda",
            paramLabel = "VERSION",
            description =
                    "the highest CUDA version the host's driver supports (cuda_max_good, e.g. 12.8), where nvidia-smi cannot tell")
    Double cuda;

    @Option(
            names = "--metrics-listen",
            paramLabel = "HOST:PORT",
            description = "serve the agent's Prometheus metrics at http://HOST:PORT/metrics (off by default; no "
                    + "authentication: bind to loopback or a management network; docs/operations.md)")
    String metricsListen;

    @Override
    public Integer call() throws Exception {
        String[] range = ports.split("-");
        if (range.length != 2) throw new IllegalArgumentException("--ports must be START-END, got " + ports);
        AgentConfig config = new AgentConfig(
                server,
                token,
                state != null ? state : Home.path().resolve("agent"),
                gpus,
                gpuRam,
                publicIp,
                bind,
                Integer.parseInt(range[0].trim()),
                Integer.parseInt(range[1].trim()),
                location,
                Duration.ofSeconds(5),
                null,
                runtime,
                dockerHost(dockerHost),
                disk,
                allowWeakIsolation,
                new AgentConfig.Declared(inetUp, inetDown, cuda));
        Agent agent = Agent.start(config, metricsListen == null ? null : MetricsListen.parse(metricsListen));
        System.out.println("agent running machine " + agent.machineId() + " for " + server);
        ServerCommand.awaitShutdown(agent);
        return 0;
    }

    /** The flag, else DOCKER_HOST as Docker's own tools read it, else the launcher's default. */
    static String dockerHost(String flag) {
        if (flag != null) return flag;
        String env = System.getenv("DOCKER_HOST");
        return env != null && env.startsWith("unix://") ? env : null;
    }
}
