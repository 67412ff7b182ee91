package io.gpumarket.app.command;

import io.gpumarket.agent.AgentConfig;
import io.gpumarket.agent.host.SpeedTestSchedule;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The flags that describe a host's agent, shared by {@code gpumarket agent} (which runs it) and {@code gpumarket agent
 * install} (which writes them to the agent's config file for its service), so the two can never list different
 * flags. {@code --server} and {@code --token} are required by {@link #config} rather than by picocli: picocli would
 * otherwise require them of {@code agent} itself before reaching {@code install}.
 */
final class AgentOptions {
    @Option(names = "--server", description = "the gpumarket server URL (required)")
    String server;

    @Option(names = "--token", description = "the machine token from registering the machine (required)")
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
            names = "--speed-test-interval",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description =
                    "how often the network speed test against the server is repeated after the one at start, each "
                            + "wait jittered by ±25% (default 24h, about as often as Vast's hosts test; 0: only at start)")
    Duration speedTestInterval;

    /** {@code --speed-test-interval}, else a day. */
    Duration speedTestInterval() {
        return speedTestInterval != null ? speedTestInterval : SpeedTestSchedule.DEFAULT_INTERVAL;
    }

    /** The agent's sealed config (AgentConfig checks every field, naming the flag), state defaulting to {@code state}. */
    AgentConfig config(Path defaultState) {
        if (server == null) throw new IllegalArgumentException("--server (the market's URL) is required");
        String[] range = ports.split("-");
        if (range.length != 2) throw new IllegalArgumentException("--ports must be START-END, got " + ports);
        return new AgentConfig(
                server,
                token,
                state != null ? state : defaultState,
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
    }

    /** The flag, else DOCKER_HOST as Docker's own tools read it, else the launcher's default. */
    static String dockerHost(String flag) {
        if (flag != null) return flag;
        String env = System.getenv("DOCKER_HOST");
        return env != null && env.startsWith("unix://") ? env : null;
    }
}
