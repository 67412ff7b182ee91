package io.gpumarket.agent;

import io.gpumarket.agent.host.Fingerprint;
import io.gpumarket.agent.host.SpeedTest;
import io.gpumarket.agent.host.SpeedTestSchedule;
import io.gpumarket.agent.launcher.Launcher;
import io.gpumarket.agent.launcher.docker.DockerLauncher;
import io.gpumarket.agent.launcher.docker.EngineClient;
import io.gpumarket.agent.launcher.limits.MachineSize;
import io.gpumarket.agent.launcher.process.ProcessLauncher;
import io.gpumarket.agent.launcher.process.SandboxKind;
import io.gpumarket.agent.metrics.AgentMetrics;
import io.gpumarket.agent.metrics.MetricsListen;
import io.gpumarket.agent.metrics.MetricsServer;
import io.gpumarket.agent.net.PortForwards;
import io.gpumarket.agent.ssh.SshFrontDoor;
import io.gpumarket.agent.sync.AgentLoop;
import io.gpumarket.agent.sync.Door;
import io.gpumarket.api.host.MachineRegistration;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's composition root: fingerprint the host, describe the machine to the server, then keep its
 * instances in step with the server's desired state through a launcher and the SSH front door.
 */
public final class Agent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    private final long machineId;
    private final Launcher launcher;
    private final SshFrontDoor door;
    private final PortForwards forwards;
    private final AgentLoop loop;
    /** Null unless the agent was started with {@code --metrics-listen}. */
    private final MetricsServer metricsServer;
    /** Null where the machine's description is given (dev's demo machines), not measured. */
    private final SpeedTestSchedule speedTests;

    private Agent(
            long machineId,
            Launcher launcher,
            SshFrontDoor door,
            PortForwards forwards,
            AgentLoop loop,
            MetricsServer metricsServer,
            SpeedTestSchedule speedTests) {
        this.metricsServer = metricsServer;
        this.speedTests = speedTests;
        this.machineId = machineId;
        this.launcher = launcher;
        this.door = door;
        this.forwards = forwards;
        this.loop = loop;
    }

    public static Agent start(AgentConfig config) throws IOException, InterruptedException {
        return start(config, null);
    }

    public static Agent start(AgentConfig config, MetricsListen metricsListen)
            throws IOException, InterruptedException {
        return start(config, metricsListen, SpeedTestSchedule.DEFAULT_INTERVAL);
    }

    /**
     * @param metricsListen where to serve {@code GET /metrics} (docs/operations.md); null for nowhere. Bound first, so
     *                      an address in use stops the agent before it describes its machine.
     * @param speedTestEvery how often (jittered) the network speed test is repeated after the one at start, its
     *                      figures reported by describing the machine again; zero for only the one at start
     */
    public static Agent start(AgentConfig config, MetricsListen metricsListen, Duration speedTestEvery)
            throws IOException, InterruptedException {
        if (speedTestEvery == null || speedTestEvery.isNegative())
            throw new IllegalArgumentException("--speed-test-interval must be a duration of 0 (off) or more");
        StateDir.secure(config.stateDir());
        AgentMetrics metrics = new AgentMetrics();
        MetricsServer metricsServer =
                metricsListen == null ? null : MetricsServer.start(metricsListen.host(), metricsListen.port(), metrics);
        try {
            return start(config, metrics, metricsServer, speedTestEvery);
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (metricsServer != null) metricsServer.close();
            throw e;
        }
    }

    private static Agent start(
            AgentConfig config, AgentMetrics metrics, MetricsServer metricsServer, Duration speedTestEvery)
            throws IOException, InterruptedException {
        ServerLink link = new ServerLink(config.serverUrl(), config.token());
        MachineRegistration machine =
                config.hardware() != null ? config.hardware() : Fingerprint.of(config, SpeedTest.run(link));
        Launcher launcher = metrics.counted(launcher(config, machine));
        long machineId = link.describeMachine(machine);
        SshFrontDoor door = new SshFrontDoor(config.stateDir().resolve("ssh"), launcher);
        metrics.door(door.traffic());
        PortForwards forwards = new PortForwards(config.bindHost());
        Door way = new Door() {
            @Override
            public List<String> open(long id, int sshPort, Map<String, Integer> ports, List<String> keys)
                    throws IOException {
                door.open(id, config.bindHost(), sshPort, keys);
                return launcher.mapsPorts() ? launcher.unpublished(id, ports) : forwards.open(id, ports);
            }

            @Override
            public void openFilesOnly(long id, int sshPort, List<String> keys) throws IOException {
                forwards.close(id);
                door.open(id, config.bindHost(), sshPort, keys, true);
            }

            @Override
            public void updateKeys(long id, List<String> keys) {
                door.updateKeys(id, keys);
            }

            @Override
            public void updateTickets(long id, java.util.Set<String> ticketHashes) {
                door.updateTickets(id, ticketHashes);
            }

            @Override
            public void close(long id) {
                door.close(id);
                forwards.close(id);
            }
        };
        AgentLoop loop = new AgentLoop(link, launcher, way, config.stopGrace(), Clock.systemUTC());
        metrics.instances(loop::states);
        loop.start();
        // A measured host re-measures and describes itself again through the same route (what it measured then, and
        // the fingerprint as it is then); a described one (dev's demo machines) has nothing to measure.
        SpeedTestSchedule speedTests = config.hardware() != null
                ? null
                : SpeedTestSchedule.start(
                        speedTestEvery, () -> SpeedTest.run(link), measured -> describeAgain(link, config, measured));
        LOG.info(
                "agent for machine {} is up ({} launcher, state in {})", machineId, launcher.kind(), config.stateDir());
        if (metricsServer != null) LOG.info("agent metrics on port {} (GET /metrics)", metricsServer.port());
        return new Agent(machineId, launcher, door, forwards, loop, metricsServer, speedTests);
    }

    private static void describeAgain(ServerLink link, AgentConfig config, SpeedTest.Result measured) {
        try {
            link.describeMachine(Fingerprint.of(config, java.util.Optional.of(measured)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The runtime's launcher; a container engine that does not answer stops the agent here, naming its socket, and
     * so does a process runtime that cannot isolate instances (unless the operator allowed weak isolation): before
     * the machine is described to the server, so it is never listed on such a host.
     */
    static Launcher launcher(AgentConfig config, MachineRegistration machine) throws IOException {
        if (!config.runtime().equals("docker")) {
            ProcessLauncher process = new ProcessLauncher(
                    config.stateDir().resolve("instances"),
                    SandboxKind.AUTO,
                    List.of(),
                    config.bindHost(),
                    MachineSize.described(machine.cpuCores(), machine.cpuRam(), machine.numGpus()));
            // Both halves of a tenant boundary: the sandbox (namespaces, view) and the resource limits (cgroups, disk).
            List<String> missing = new ArrayList<>(process.missingIsolation());
            missing.addAll(process.isolation().missing());
            if (!process.isolation().provided().isEmpty()) {
                LOG.info(
                        "instances are limited: {}",
                        String.join("; ", process.isolation().provided()));
            }
            if (missing.isEmpty()) {
                LOG.info(
                        "process runtime: instances isolated ({} sandbox: own user and network namespaces)",
                        process.sandbox());
                return process;
            }
            String weak = "weak isolation: this host lacks " + String.join("; ", missing);
            if (!config.allowWeakIsolation()) {
                process.close();
                throw new IllegalStateException(
                        weak + ". Install what is missing (Debian: bubblewrap passt util-linux e2fsprogs), use "
                                + "--runtime docker, or pass --allow-weak-isolation for a machine you do not rent to strangers");
            }
            LOG.warn("{} (running anyway: --allow-weak-isolation)", weak);
            return process;
        }
        // Real NVIDIA GPUs (found by nvidia-smi, not declared) get device requests; declared ones cannot.
        boolean nvidia = config.gpus() == null && config.hardware() == null;
        DockerLauncher.Host host = new DockerLauncher.Host(
                machine.cpuCores() == null ? Runtime.getRuntime().availableProcessors() : machine.cpuCores(),
                machine.cpuRam() == null ? 1024 : machine.cpuRam(),
                machine.numGpus() == null ? 0 : machine.numGpus(),
                nvidia,
                config.bindHost());
        DockerLauncher docker = new DockerLauncher(new EngineClient(config.dockerHost()), config.stateDir(), host);
        LOG.info("container engine at {}: {}", config.dockerHost(), docker.ping());
        return docker;
    }

    public long machineId() {
        return machineId;
    }

    /** The port the agent's metrics are served on; empty without {@code --metrics-listen}. */
    public java.util.OptionalInt metricsPort() {
        return metricsServer == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(metricsServer.port());
    }

    /** Stops the agent; the instances keep running and are recovered by the next agent on this state dir. */
    @Override
    public void close() {
        if (speedTests != null) speedTests.close();
        loop.close();
        door.close();
        forwards.close();
        launcher.close();
        if (metricsServer != null) metricsServer.close();
    }
}
