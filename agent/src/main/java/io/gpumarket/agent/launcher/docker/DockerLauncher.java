package io.gpumarket.agent.launcher.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.agent.launcher.Inspection;
import io.gpumarket.agent.launcher.InstanceEnvironment;
import io.gpumarket.agent.launcher.InstanceSpec;
import io.gpumarket.agent.launcher.LaunchException;
import io.gpumarket.agent.launcher.Launcher;
import io.gpumarket.agent.launcher.VolumeMount;
import io.gpumarket.agent.launcher.limits.ResourceShare;
import io.gpumarket.agent.launcher.limits.VolumeStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Instances as containers from the renter's image, through the Docker Engine API ({@link EngineClient}), so the
 * same code drives Docker and {@code podman system service}. This class is the coordinator: it holds the per
 * instance locks and the stop markers and calls the pieces, each named after what it holds:
 * <ul>
 *   <li>{@link ImagePuller}: the image onto the engine (pull, registry login, progress);</li>
 *   <li>{@link ContainerRequest}: the create body (env, published ports, CPU/memory share, GPU device request);</li>
 *   <li>{@link ContainerLabels}: names and labels that tie a container to this agent, instance and contract;</li>
 *   <li>{@link ContainerInspector} (reading with {@link InspectReading}): what the engine says about them;</li>
 *   <li>{@link ContainerExec}: sessions inside a container ({@link ExecProcess}, counted in {@link ExecSessions}).</li>
 * </ul>
 *
 * <p><b>Lifecycle.</b> Start pulls the image when the engine lacks it (progress to {@code status_msg}), creates
 * the container and starts it. Stop is the engine's stop (SIGTERM, SIGKILL after the grace) and keeps the container
 * and its file system; start starts the same container again; destroy removes it with its anonymous volumes. Which
 * stops were asked for is remembered in {@code <state>/containers/<id>.stopped}, so an exit is told from a stop
 * after an agent restart too. After an agent restart containers are found by their labels and adopted, not
 * recreated. SFTP runs the agent's own sftp-server inside the container ({@link ContainerTools}). A container made
 * before its instance ever ran here, to pull a moved instance's files into ({@link #prepare}), is re-created at its
 * first start from an image of those files ({@code <state>/containers/<id>.prepared} until then).
 */
public final class DockerLauncher implements Launcher {
    private static final Logger LOG = LoggerFactory.getLogger(DockerLauncher.class);

    /** What the host gives contracts: its size, and whether its GPUs are real NVIDIA ones (device requests). */
    public record Host(int cores, long ramMb, int gpus, boolean nvidia, String bindHost) {}

    private final EngineClient engine;
    private final Path markers;
    private final ContainerLabels labels;
    private final Host host;
    private final Path toolsDir;
    private final VolumeStorage volumes;
    private final List<String> sftp;
    private final List<String> rsync;
    private final List<String> relay;
    private final List<String> rclone;
    private final Map<String, String> rcloneEnv;
    private final Map<Long, Object> locks = new ConcurrentHashMap<>();
    private final ExecSessions sessions;
    private final ImagePuller images;
    private final ContainerInspector inspector;
    private final ContainerExec exec;
    private final ContainerFiles files;

    /**
     * @param engine   the engine's API
     * @param stateDir the agent's state directory: stop markers and the containers' tools live below it, and its
     *                 path is the owner label of this agent's containers
     */
    public DockerLauncher(EngineClient engine, Path stateDir, Host host) {
        this.engine = engine;
        this.host = host;
        Path state = stateDir.toAbsolutePath().normalize();
        this.labels = ContainerLabels.forAgent(state);
        this.markers = state.resolve("containers");
        this.toolsDir = state.resolve("container-tools");
        this.volumes = new VolumeStorage(state.resolve("volumes"));
        try {
            Files.createDirectories(markers);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create " + markers + ": " + e.getMessage(), e);
        }
        ContainerTools.Tools tools = ContainerTools.prepare(toolsDir);
        this.sftp = tools.sftp();
        this.rsync = tools.rsync();
        this.relay = tools.relay();
        this.rclone = tools.rclone();
        // the image's usual certificate directories first, then the host's bundle (Go reads every one of them)
        this.rcloneEnv = tools.caDir() == null
                ? Map.of()
                : Map.of("SSL_CERT_DIR", "/etc/ssl/certs:/etc/pki/tls/certs:" + tools.caDir());
        this.sessions = new ExecSessions(state.resolve("exec-sessions"));
        this.images = new ImagePuller(engine);
        this.inspector = new ContainerInspector(engine, labels);
        this.exec = new ContainerExec(engine, sessions);
        this.files = new ContainerFiles(engine, toolsDir);
    }

    /** Fails fast, naming the socket, when the engine does not answer (the agent refuses to start then). */
    public String ping() throws IOException {
        EngineClient.Response r = engine.get("/version");
        if (!r.ok())
            throw new IOException(
                    "the container engine at " + engine.socket() + " answered " + r.status() + ": " + r.message());
        JsonNode v = r.json();
        String name = v.path("Components").path(0).path("Name").asText("Docker Engine");
        return name + " " + v.path("Version").asText("?") + " (API "
                + v.path("ApiVersion").asText("?") + ")";
    }

    @Override
    public String kind() {
        return "docker";
    }

    /**
     * Adds the instance's volumes (docs/volumes.md) to the create body as read-write binds of their storage, made
     * first where it is not yet: the same {@link VolumeStorage} as the process launcher's, beside the agent's state.
     */
    @SuppressWarnings("unchecked")
    private void withVolumes(Map<String, Object> body, InstanceSpec spec) throws IOException {
        Map<String, Object> hostConfig = (Map<String, Object>) body.get("HostConfig");
        List<String> binds = new ArrayList<>();
        if (hostConfig.get("Binds") instanceof List<?> existing) for (Object b : existing) binds.add((String) b);
        for (VolumeMount v : spec.volumes()) {
            binds.add(volumes.ensure(v.id(), v.sizeGb()) + ":" + v.mountPath() + ":rw");
        }
        hostConfig.put("Binds", binds);
    }

    @Override
    public void keepVolumes(java.util.Set<Long> volumeIds) {
        volumes.keepOnly(volumeIds);
    }

    @Override
    public void start(InstanceSpec spec) throws LaunchException {
        start(spec, m -> {});
    }

    @Override
    public void start(InstanceSpec spec, Consumer<String> progress) throws LaunchException {
        long id = spec.id();
        synchronized (lock(id)) {
            try {
                Optional<JsonNode> existing = inspector.find(id);
                if (existing.isPresent()) {
                    JsonNode c = existing.get();
                    if (!ContainerLabels.sameContract(c, spec)) {
                        throw new LaunchException(
                                "a container from an earlier contract with instance id " + id + " is on this host ("
                                        + name(id) + "); the host must remove it before this instance can start");
                    }
                    if (Files.exists(prepared(id))
                            && !c.path("State").path("Running").asBoolean()) {
                        startPrepared(spec, progress);
                        return;
                    }
                    Files.deleteIfExists(marker(id));
                    if (c.path("State").path("Running").asBoolean()) return;
                    startContainer(id);
                    return;
                }
                images.ensure(spec, progress);
                List<Integer> gpus = create(spec, null, progress);
                Files.deleteIfExists(marker(id));
                startContainer(id);
                LOG.info("instance {} started as container {} (image {}, gpus {})", id, name(id), spec.image(), gpus);
            } catch (IOException e) {
                throw new LaunchException("container engine error: " + e.getMessage(), e);
            } catch (IllegalStateException e) {
                throw new LaunchException(e.getMessage(), e);
            }
        }
    }

    /**
     * Creates the container (not started) for {@code spec}, from {@code image} when given instead of the spec's;
     * the host GPUs it was given.
     */
    private List<Integer> create(InstanceSpec spec, String image, Consumer<String> progress)
            throws IOException, LaunchException {
        long id = spec.id();
        List<Integer> gpus =
                host.nvidia() ? GpuSlots.assign(host.gpus(), inspector.heldGpus(id), numGpus(spec)) : List.of();
        ContainerRequest request = request(spec, gpus);
        progress.accept("creating container " + name(id));
        Map<String, Object> body = request.body();
        if (image != null) body.put("Image", image);
        if (!spec.volumes().isEmpty()) withVolumes(body, spec);
        EngineClient.Response created = engine.post("/containers/create?name=" + EngineClient.q(name(id)), body);
        if (!created.ok())
            throw LaunchException.ofRequest("the engine refused to create the container for image '"
                    + (image != null ? image : spec.image()) + "': " + created.message());
        return gpus;
    }

    /**
     * A container made for files before the instance ever ran here (the destination of a move, docs/migrate.md):
     * the image pulled and the container created from the spec the agent has now — stopped, without ports or GPUs —
     * and nothing started. Its file system is reachable at rest ({@link #execFiles}); its first {@link #start}
     * re-creates it with that start's ports and GPUs over the same files ({@link #startPrepared}).
     */
    @Override
    public void prepare(InstanceSpec spec) throws LaunchException {
        long id = spec.id();
        synchronized (lock(id)) {
            try {
                Optional<JsonNode> existing = inspector.find(id);
                if (existing.isPresent()) {
                    // never a pull into an earlier contract's files (start refuses that container the same way)
                    if (!ContainerLabels.sameContract(existing.get(), spec))
                        throw new LaunchException("a container from an earlier contract with instance id " + id
                                + " is on this host (" + name(id) + "); the host must remove it first");
                    return;
                }
                images.ensure(spec, m -> {});
                create(spec, null, m -> {});
                Files.writeString(marker(id), Instant.now().toString());
                Files.writeString(prepared(id), Instant.now().toString());
                inspector.forget(id);
                LOG.info("instance {}: container {} made for its files, not started", id, name(id));
            } catch (IOException e) {
                throw new LaunchException("container engine error: " + e.getMessage(), e);
            } catch (IllegalStateException e) {
                throw new LaunchException(e.getMessage(), e);
            }
        }
    }

    /**
     * The first start of a {@linkplain #prepare prepared} container: its published ports and GPUs are fixed when a
     * container is created, and it was created before they were known. Its file system is committed to an image of
     * this agent's ({@link #filesImage}), the container re-created from that image with the start's spec, and
     * started. The image is removed with the instance.
     */
    private void startPrepared(InstanceSpec spec, Consumer<String> progress) throws IOException, LaunchException {
        long id = spec.id();
        String image = filesImage(id);
        progress.accept("taking over the files that arrived before the first start");
        int colon = image.lastIndexOf(':');
        EngineClient.Response committed = engine.post(
                "/commit?container=" + EngineClient.q(name(id)) + "&repo="
                        + EngineClient.q(image.substring(0, colon)) + "&tag="
                        + EngineClient.q(image.substring(colon + 1))
                        + "&pause=false",
                Map.of());
        if (!committed.ok())
            throw new LaunchException("the files that arrived could not be kept (commit): " + committed.message());
        EngineClient.Response removed = engine.delete("/containers/" + name(id) + "?force=true");
        if (!removed.ok() && removed.status() != 404)
            throw new LaunchException("the container made for the files could not be replaced: " + removed.message());
        inspector.forget(id);
        List<Integer> gpus = create(spec, image, progress);
        Files.deleteIfExists(prepared(id));
        Files.deleteIfExists(marker(id));
        startContainer(id);
        LOG.info("instance {} started as container {} over the files that arrived (gpus {})", id, name(id), gpus);
    }

    /** The image that holds a prepared container's files from its first start on ({@link #startPrepared}). */
    private String filesImage(long id) {
        return "localhost/" + name(id) + "-files:latest";
    }

    /** The create request: the contract's share of this host, its GPUs, its labels, the tools mount. */
    private ContainerRequest request(InstanceSpec spec, List<Integer> gpus) {
        InstanceEnvironment env = InstanceEnvironment.forContainer(spec);
        env.notes().forEach(n -> LOG.info("instance {}: {}", spec.id(), n));
        return new ContainerRequest(
                spec,
                env,
                name(spec.id()),
                labels.of(spec, gpus),
                gpus,
                host.nvidia(),
                ResourceShare.of(host.cores(), host.ramMb(), host.gpus(), Math.min(numGpus(spec), host.gpus()))
                        .cappedTo(Runtime.getRuntime().availableProcessors()),
                host.bindHost(),
                sftp.isEmpty() && rsync.isEmpty() ? null : toolsDir.toString());
    }

    @Override
    public boolean recover(InstanceSpec spec) {
        try {
            Optional<JsonNode> c = inspector.find(spec.id());
            boolean running =
                    c.isPresent() && c.get().path("State").path("Running").asBoolean();
            if (running) LOG.info("instance {} recovered: container {} is running", spec.id(), name(spec.id()));
            return running;
        } catch (IOException e) {
            LOG.warn("instance {}: cannot look at its container: {}", spec.id(), e.getMessage());
            return false;
        }
    }

    @Override
    public void stop(long instanceId, Duration grace) {
        synchronized (lock(instanceId)) {
            try {
                Files.writeString(marker(instanceId), Instant.now().toString());
                EngineClient.Response r = engine.post(
                        "/containers/" + name(instanceId) + "/stop?t=" + Math.max(0, grace.toSeconds()), null);
                if (!r.ok() && r.status() != 304 && r.status() != 404)
                    LOG.warn("instance {}: stop answered {}: {}", instanceId, r.status(), r.message());
            } catch (IOException e) {
                LOG.warn("instance {}: could not stop its container: {}", instanceId, e.getMessage());
            }
        }
    }

    /** Recycle: the container removed, the image pulled afresh ({@link ImagePuller#refresh}), a new container started. */
    @Override
    public void recycle(InstanceSpec spec, Consumer<String> progress) throws LaunchException {
        destroy(spec.id());
        synchronized (lock(spec.id())) {
            try {
                images.refresh(spec, progress);
            } catch (IOException e) {
                throw new LaunchException("image '" + spec.image() + "' could not be pulled: " + e.getMessage(), e);
            }
        }
        start(spec, progress);
    }

    /**
     * Removes the container with its anonymous volumes, then whatever the engine still runs for it on this host
     * (Podman's conmons of exec sessions that were running or waiting out their delay: {@link EngineHelpers}).
     */
    @Override
    public void destroy(long instanceId) {
        synchronized (lock(instanceId)) {
            files.endAll(instanceId);
            try {
                String fullId = inspector
                        .find(instanceId)
                        .map(c -> c.path("Id").asText(""))
                        .orElse("");
                EngineClient.Response r = engine.delete("/containers/" + name(instanceId) + "?force=true&v=true");
                if (!r.ok() && r.status() != 404)
                    LOG.warn(
                            "instance {}: removing its container answered {}: {}", instanceId, r.status(), r.message());
                else if (!fullId.isEmpty()) EngineHelpers.reapContainer(fullId, Duration.ofSeconds(10));
                Files.deleteIfExists(marker(instanceId));
                Files.deleteIfExists(prepared(instanceId));
                // the image of files that arrived before a first start (startPrepared), where there is one
                EngineClient.Response image = engine.delete("/images/" + filesImage(instanceId));
                if (!image.ok() && image.status() != 404)
                    LOG.warn(
                            "instance {}: removing its files image answered {}: {}",
                            instanceId,
                            image.status(),
                            image.message());
            } catch (IOException e) {
                LOG.warn("instance {}: could not remove its container: {}", instanceId, e.getMessage());
            }
            inspector.forget(instanceId);
        }
    }

    @Override
    public Inspection inspect(long instanceId) {
        return inspector.inspect(instanceId, Files.exists(marker(instanceId)));
    }

    @Override
    public Process exec(long instanceId, List<String> command, Map<String, String> extraEnv, boolean pty)
            throws LaunchException {
        return exec.start(instanceId, name(instanceId), command, extraEnv, pty);
    }

    /**
     * While the container runs, {@link #exec}; while it is stopped, a session over its files without starting it
     * ({@link ContainerFiles}: Podman mounts them, bubblewrap confines the command to them).
     */
    @Override
    public Process execFiles(long instanceId, List<String> command, Map<String, String> extraEnv)
            throws LaunchException {
        if (command.isEmpty()) throw new LaunchException("no command to run");
        JsonNode c;
        try {
            c = inspector
                    .find(instanceId)
                    .orElseThrow(
                            () -> new LaunchException("instance " + instanceId + " has no container on this host"));
        } catch (IOException e) {
            throw new LaunchException("container engine error: " + e.getMessage(), e);
        }
        if (c.path("State").path("Running").asBoolean()) return exec(instanceId, command, extraEnv, false);
        return files.session(instanceId, name(instanceId), c, command, extraEnv);
    }

    /** The exec sessions open now (each one started and not yet ended and released). */
    @Override
    public OptionalInt openSessions() {
        return OptionalInt.of(sessions.count());
    }

    @Override
    public void resizeTerminal(Process session, int columns, int rows) {
        if (session instanceof ExecProcess p) exec.resize(p.execId(), columns, rows);
    }

    @Override
    public Set<Long> known() {
        return inspector.known();
    }

    /** Containers are the engine's: their output is read from it. */
    @Override
    public Path logFile(long instanceId) {
        return null;
    }

    @Override
    public byte[] logs(long instanceId) throws IOException {
        return inspector.logs(instanceId);
    }

    @Override
    public List<String> sftpCommand() {
        return sftp;
    }

    @Override
    public List<String> rsyncCommand() {
        return rsync.isEmpty() ? Launcher.super.rsyncCommand() : rsync;
    }

    /** The host's dd from the tools directory: the image's {@code cat} may splice (see {@link Launcher#relayCommand}). */
    @Override
    public List<String> relayCommand() {
        return relay.isEmpty() ? Launcher.super.relayCommand() : relay;
    }

    @Override
    public List<String> rcloneCommand() {
        return rclone.isEmpty() ? Launcher.super.rcloneCommand() : rclone;
    }

    @Override
    public Map<String, String> rcloneEnvironment() {
        return rcloneEnv;
    }

    /** A container the server does not list is reported, never removed unseen (see {@link Launcher#removesUnclaimed}). */
    @Override
    public boolean removesUnclaimed() {
        return false;
    }

    /** Removes every container of this agent (dev mode's fresh start). */
    public void removeAll() {
        for (long id : known()) destroy(id);
    }

    /** The container's name: fixed per agent and instance, so a restarted agent finds it. */
    public String name(long instanceId) {
        return labels.name(instanceId);
    }

    private void startContainer(long id) throws IOException, LaunchException {
        EngineClient.Response r = engine.post("/containers/" + name(id) + "/start", null);
        if (!r.ok() && r.status() != 304) throw new LaunchException("the container did not start: " + r.message());
    }

    private static int numGpus(InstanceSpec spec) {
        return Math.max(0, spec.numGpus());
    }

    private Path marker(long id) {
        return markers.resolve(id + ".stopped");
    }

    /** Present while the container is one {@link #prepare} made and no start has re-created yet. */
    private Path prepared(long id) {
        return markers.resolve(id + ".prepared");
    }

    private Object lock(long id) {
        return locks.computeIfAbsent(id, k -> new Object());
    }
}
