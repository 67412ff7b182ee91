package io.gpumarket.app.dev;

import io.gpumarket.agent.Agent;
import io.gpumarket.agent.AgentConfig;
import io.gpumarket.agent.launcher.docker.DockerLauncher;
import io.gpumarket.agent.launcher.docker.EngineClient;
import io.gpumarket.agent.launcher.process.ProcessLauncher;
import io.gpumarket.api.host.MachineRegistration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The agents of {@code gpumarket dev}: one per demo machine, in the same process, each with its own state
 * directory and the demo machine's hardware as its declared description. Instances run as sandboxed
 * processes on this host (or as containers, with the docker runtime); their SSH listeners use the demo machines' direct port ranges on 127.0.0.1 (so every
 * demo machine has one).
 */
public final class DevAgents implements AutoCloseable {
    private final List<Agent> agents;

    private DevAgents(List<Agent> agents) {
        this.agents = agents;
    }

    /** How the demo agents run instances ({@code process} or {@code docker}) and the engine's socket. */
    public record Runtime(String name, String dockerHost) {
        public static final Runtime PROCESS = new Runtime("process", null);
    }

    public static DevAgents start(String serverUrl, Path agentsHome, List<DemoMarket.Registered> machines)
            throws IOException, InterruptedException {
        return start(serverUrl, agentsHome, machines, Runtime.PROCESS);
    }

    public static DevAgents start(
            String serverUrl, Path agentsHome, List<DemoMarket.Registered> machines, Runtime runtime)
            throws IOException, InterruptedException {
        return start(serverUrl, agentsHome, machines, runtime, m -> {});
    }

    /** @param started told of each machine once its agent runs (the dev command's one line per agent) */
    public static DevAgents start(
            String serverUrl,
            Path agentsHome,
            List<DemoMarket.Registered> machines,
            Runtime runtime,
            Consumer<DemoMarket.Registered> started)
            throws IOException, InterruptedException {
        List<Agent> agents = new ArrayList<>();
        for (DemoMarket.Registered m : machines) {
            MachineRegistration hw = m.hardware();
            AgentConfig config = new AgentConfig(
                    serverUrl,
                    m.token(),
                    agentsHome.resolve(Long.toString(m.id())),
                    hw.numGpus() + "x " + hw.gpuName(),
                    hw.gpuRam(),
                    hw.publicIpaddr(),
                    "127.0.0.1",
                    hw.directPortStart(),
                    hw.directPortEnd(),
                    hw.geolocation(),
                    Duration.ofSeconds(3),
                    hw,
                    runtime.name(),
                    runtime.dockerHost(),
                    null,
                    true); // a dev market is the developer's own (on 127.0.0.1): weak isolation is logged, not refused
            agents.add(Agent.start(config));
            started.accept(m);
        }
        return new DevAgents(agents);
    }

    public int size() {
        return agents.size();
    }

    /**
     * A fresh dev market must not inherit the previous run's instances: their ids would be handed out again.
     * Destroys every instance a previous run left under {@code agentsHome} and removes the directory.
     */
    public static void wipe(Path agentsHome) throws IOException {
        wipe(agentsHome, Runtime.PROCESS);
    }

    /** As {@link #wipe(Path)}, containers of the previous run included when the engine is there. */
    public static void wipe(Path agentsHome, Runtime runtime) throws IOException {
        if (!Files.isDirectory(agentsHome)) return;
        try (Stream<Path> dirs = Files.list(agentsHome)) {
            for (Path dir : dirs.toList()) {
                try (ProcessLauncher old = new ProcessLauncher(dir.resolve("instances"))) {
                    old.known().forEach(old::destroy);
                }
                if (runtime.name().equals("docker")) {
                    new DockerLauncher(
                                    new EngineClient(
                                            runtime.dockerHost() != null
                                                    ? runtime.dockerHost()
                                                    : AgentConfig.DEFAULT_DOCKER_HOST),
                                    dir,
                                    new DockerLauncher.Host(1, 1, 0, false, "127.0.0.1"))
                            .removeAll();
                }
            }
        }
        try (Stream<Path> all = Files.walk(agentsHome)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Override
    public void close() {
        agents.forEach(Agent::close);
    }
}
