package io.gpumarket.agent.launcher.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpumarket.agent.launcher.Inspection;
import io.gpumarket.agent.launcher.Inspection.State;
import io.gpumarket.agent.launcher.InstanceEnvironment;
import io.gpumarket.agent.launcher.InstanceSpec;
import io.gpumarket.agent.launcher.LaunchException;
import io.gpumarket.agent.launcher.Launcher;
import io.gpumarket.agent.launcher.NetDev;
import io.gpumarket.agent.launcher.VolumeMount;
import io.gpumarket.agent.launcher.limits.ResourceShare;
import io.gpumarket.agent.launcher.limits.VolumeStorage;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Instances as containers from the renter's image, through the Docker Engine API ({@link EngineClient}), so the
 * same code drives Docker and {@code podman system service}.
 *
 * <p><b>Lifecycle.</b> Start pulls the image when the engine lacks it (progress to {@code status_msg}), creates
 * the container ({@link ContainerRequest}: env, published ports, CPU/memory share, GPU device request, labels)
 * and starts it. Stop is the engine's stop (SIGTERM, SIGKILL after the grace) and keeps the container and its file
 * system; start starts the same container again; destroy removes it with its anonymous volumes. Which stops were
 * asked for is remembered in {@code <state>/containers/<id>.stopped}, so an exit is told from a stop after an
 * agent restart too.
 *
 * <p><b>Ownership.</b> Containers carry labels: the instance id, the agent that owns them (its state directory,
 * so several agents can share one engine, as dev mode's do), the contract (a digest of the instance's own API key,
 * so a container from an earlier contract with the same id is never handed to a new renter) and the host GPUs
 * they hold. After an agent restart they are found by these labels and adopted, not recreated.
 *
 * <p><b>Sessions</b> are Engine API execs ({@link ExecProcess}); the shell is bash when the image has it, else sh;
 * SFTP runs the agent's own sftp-server inside the container ({@link ContainerTools}).
 */
public final class DockerLauncher implements Launcher {
    private static final Logger LOG = LoggerFactory.getLogger(DockerLauncher.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String LABEL_INSTANCE = "io.gpumarket.instance";
    static final String LABEL_OWNER = "io.gpumarket.owner";
    static final String LABEL_CONTRACT = "io.gpumarket.contract";
    static final String LABEL_GPUS = "io.gpumarket.gpus";
    static final String LABEL_DISK = "io.gpumarket.disk_gb";
    /** Picks bash when the image has it; the renter's command follows as "$@" ({@code -c CMD} or {@code -l}). */
    static final String SHELL =
            "cd /root 2>/dev/null || cd /; if command -v bash >/dev/null 2>&1; then exec bash \"$@\"; fi; exec sh \"$@\"";

    /** What the host gives contracts: its size, and whether its GPUs are real NVIDIA ones (device requests). */
    public record Host(int cores, long ramMb, int gpus, boolean nvidia, String bindHost) {}

    private final EngineClient engine;
    private final Path markers;
    private final String owner;
    private final String namePrefix;
    private final Host host;
    private final Path toolsDir;
    private final VolumeStorage volumes;
    private final List<String> sftp;
    private final Map<Long, Object> locks = new ConcurrentHashMap<>();
    private final Map<Long, long[]> sizeCache = new ConcurrentHashMap<>();
    private final ExecSessions sessions;

    /**
     * @param engine   the engine's API
     * @param stateDir the agent's state directory: stop markers and the containers' tools live below it, and its
     *                 path is the owner label of this agent's containers
     */
    public DockerLauncher(EngineClient engine, Path stateDir, Host host) {
        this.engine = engine;
        this.host = host;
        Path state = stateDir.toAbsolutePath().normalize();
        this.owner = state.toString();
        this.namePrefix = "gpumarket-" + digest(owner).substring(0, 8) + "-";
        this.markers = state.resolve("containers");
        this.toolsDir = state.resolve("container-tools");
        this.volumes = new VolumeStorage(state.resolve("volumes"));
        try {
            Files.createDirectories(markers);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create " + markers + ": " + e.getMessage(), e);
        }
        this.sftp = ContainerTools.prepare(toolsDir).orElse(List.of());
        this.sessions = new ExecSessions(state.resolve("exec-sessions"));
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
                Optional<JsonNode> existing = container(id);
                if (existing.isPresent()) {
                    JsonNode c = existing.get();
                    String contract =
                            c.path("Config").path("Labels").path(LABEL_CONTRACT).asText("");
                    if (!contract.equals(contract(spec))) {
                        throw new LaunchException(
                                "a container from an earlier contract with instance id " + id + " is on this host ("
                                        + name(id) + "); the host must remove it before this instance can start");
                    }
                    Files.deleteIfExists(marker(id));
                    if (c.path("State").path("Running").asBoolean()) return;
                    startContainer(id);
                    return;
                }
                ensureImage(spec, progress);
                List<Integer> gpus =
                        host.nvidia() ? GpuSlots.assign(host.gpus(), heldGpus(id), numGpus(spec)) : List.of();
                Map<String, String> labels = new LinkedHashMap<>();
                labels.put(LABEL_INSTANCE, Long.toString(id));
                labels.put(LABEL_OWNER, owner);
                labels.put(LABEL_CONTRACT, contract(spec));
                labels.put(LABEL_GPUS, GpuSlots.format(gpus));
                labels.put(LABEL_DISK, Double.toString(spec.diskGb()));
                InstanceEnvironment env = InstanceEnvironment.forContainer(spec);
                env.notes().forEach(n -> LOG.info("instance {}: {}", id, n));
                ContainerRequest request = new ContainerRequest(
                        spec,
                        env,
                        name(id),
                        labels,
                        gpus,
                        host.nvidia(),
                        ResourceShare.of(host.cores(), host.ramMb(), host.gpus(), Math.min(numGpus(spec), host.gpus()))
                                .cappedTo(Runtime.getRuntime().availableProcessors()),
                        host.bindHost(),
                        sftp.isEmpty() ? null : toolsDir.toString());
                progress.accept("creating container " + name(id));
                Map<String, Object> body = request.body();
                if (!spec.volumes().isEmpty()) withVolumes(body, spec);
                EngineClient.Response created =
                        engine.post("/containers/create?name=" + EngineClient.q(name(id)), body);
                if (!created.ok())
                    throw LaunchException.ofRequest("the engine refused to create the container for image '"
                            + spec.image() + "': " + created.message());
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

    @Override
    public boolean recover(InstanceSpec spec) {
        try {
            Optional<JsonNode> c = container(spec.id());
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

    /**
     * Removes the container with its anonymous volumes, then whatever the engine still runs for it on this host
     * (Podman's conmons of exec sessions that were running or waiting out their delay: {@link EngineHelpers}).
     */
    @Override
    public void destroy(long instanceId) {
        synchronized (lock(instanceId)) {
            try {
                String fullId =
                        container(instanceId).map(c -> c.path("Id").asText("")).orElse("");
                EngineClient.Response r = engine.delete("/containers/" + name(instanceId) + "?force=true&v=true");
                if (!r.ok() && r.status() != 404)
                    LOG.warn(
                            "instance {}: removing its container answered {}: {}", instanceId, r.status(), r.message());
                else if (!fullId.isEmpty()) EngineHelpers.reapContainer(fullId, Duration.ofSeconds(10));
                Files.deleteIfExists(marker(instanceId));
            } catch (IOException e) {
                LOG.warn("instance {}: could not remove its container: {}", instanceId, e.getMessage());
            }
            sizeCache.remove(instanceId);
        }
    }

    @Override
    public Inspection inspect(long instanceId) {
        try {
            Optional<JsonNode> found = container(instanceId);
            if (found.isEmpty())
                return new Inspection(
                        State.ABSENT, null, 0, 0, 0, "no container for instance " + instanceId + " on this host");
            JsonNode c = found.get();
            JsonNode s = c.path("State");
            long disk = diskBytes(instanceId);
            if (s.path("Running").asBoolean()) {
                NetDev.Counters traffic = NetDev.ofProcess(s.path("Pid").asLong(0));
                return new Inspection(
                        State.RUNNING,
                        null,
                        disk,
                        cpuSeconds(instanceId),
                        epoch(s.path("StartedAt").asText("")),
                        "running in container " + name(instanceId) + " (image '"
                                + c.path("Config").path("Image").asText("") + "'" + gpuNote(c) + ")"
                                + diskNote(disk, c),
                        traffic == null ? null : traffic.rxBytes(),
                        traffic == null ? null : traffic.txBytes());
            }
            if (Files.exists(marker(instanceId)))
                return new Inspection(State.STOPPED, null, disk, 0, 0, "stopped; the container and its files are kept");
            if ("created".equals(s.path("Status").asText()))
                return new Inspection(State.STOPPED, null, disk, 0, 0, "container created, not started yet");
            int code = s.path("ExitCode").asInt();
            return new Inspection(State.EXITED, code, disk, 0, 0, exitMessage(instanceId, s, code));
        } catch (IOException e) {
            return new Inspection(
                    State.STOPPED, null, 0, 0, 0, "the container engine cannot be reached: " + e.getMessage());
        }
    }

    @Override
    public Process exec(long instanceId, List<String> command, Map<String, String> extraEnv, boolean pty)
            throws LaunchException {
        if (command.isEmpty()) throw new LaunchException("no command to run");
        List<String> argv = command.getFirst().equals("bash") ? withShell(command.subList(1, command.size())) : command;
        Map<String, Object> create = new LinkedHashMap<>();
        create.put("AttachStdin", true);
        create.put("AttachStdout", true);
        create.put("AttachStderr", true);
        create.put("Tty", pty);
        create.put("Cmd", argv);
        List<String> env = new ArrayList<>();
        extraEnv.forEach((k, v) -> {
            if (InstanceEnvironment.validName(k) && v != null) env.add(k + "=" + v.replace("\0", ""));
        });
        create.put("Env", env);
        try {
            EngineClient.Response r = engine.post("/containers/" + name(instanceId) + "/exec", create);
            if (r.status() == 404)
                throw new LaunchException("instance " + instanceId + " has no container on this host");
            if (r.status() == 409) throw new LaunchException("instance " + instanceId + " is not running");
            if (!r.ok()) throw new LaunchException("could not enter instance " + instanceId + ": " + r.message());
            String execId = r.json().path("Id").asText();
            EngineClient.Connection c = engine.open(
                    "POST",
                    "/exec/" + execId + "/start",
                    Map.of("Detach", false, "Tty", pty),
                    Map.of("Connection", "Upgrade", "Upgrade", "tcp"));
            if (c.status() != 101 && c.status() != 200) {
                String msg = new String(c.body().readAllBytes(), StandardCharsets.UTF_8);
                c.close();
                throw new LaunchException(
                        "could not start a session in instance " + instanceId + ": " + c.status() + " " + msg);
            }
            // Counted before its output thread starts: a session that ends at once is closed after it was opened.
            sessions.opened(instanceId, execId, program(argv));
            ExecProcess p;
            try {
                p = new ExecProcess(engine, execId, c, pty, sessions);
            } catch (IOException | RuntimeException e) {
                c.close();
                sessions.closed(execId);
                throw e;
            }
            if (pty) resize(execId, number(extraEnv.get("COLUMNS")), number(extraEnv.get("LINES")));
            return p;
        } catch (IOException e) {
            throw new LaunchException("could not enter instance " + instanceId + ": " + e.getMessage(), e);
        }
    }

    /** The exec sessions open now (each one started and not yet ended and released). */
    @Override
    public OptionalInt openSessions() {
        return OptionalInt.of(sessions.count());
    }

    /** The program's name only, for the operator's list: never its arguments, which may carry the renter's secrets. */
    private static String program(List<String> argv) {
        String first = argv.getFirst();
        if (argv.size() > 2 && first.equals("/bin/sh") && argv.get(2).equals(SHELL))
            first = argv.size() > 4 ? "shell -c" : "shell";
        return first.substring(first.lastIndexOf('/') + 1);
    }

    @Override
    public void resizeTerminal(Process session, int columns, int rows) {
        if (session instanceof ExecProcess p) resize(p.execId(), columns, rows);
    }

    @Override
    public Set<Long> known() {
        Set<Long> ids = new TreeSet<>();
        try {
            for (JsonNode c : ours()) {
                String label = c.path("Labels").path(LABEL_INSTANCE).asText("");
                if (label.matches("\\d{1,18}")) ids.add(Long.parseLong(label));
                else
                    LOG.warn(
                            "container {} carries this agent's owner label but no instance id; left as it is",
                            c.path("Names").path(0).asText());
            }
        } catch (IOException e) {
            LOG.warn("cannot list this agent's containers: {}", e.getMessage());
        }
        return ids;
    }

    /** Containers are the engine's: their output is read from it. */
    @Override
    public Path logFile(long instanceId) {
        return null;
    }

    @Override
    public byte[] logs(long instanceId) throws IOException {
        try (EngineClient.Connection c = engine.open(
                "GET", "/containers/" + name(instanceId) + "/logs?stdout=true&stderr=true", null, Map.of())) {
            if (c.status() == 404) return new byte[0];
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (c.status() / 100 != 2)
                throw new IOException("the engine answered " + c.status() + " for the logs of " + name(instanceId));
            if ("application/vnd.docker.raw-stream".equals(c.header("Content-Type")))
                c.body().transferTo(out);
            else Frames.demux(c.body(), out, out);
            return out.toByteArray();
        }
    }

    @Override
    public List<String> sftpCommand() {
        return sftp;
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
        return namePrefix + instanceId;
    }

    // --- internals -------------------------------------------------------------------------------------

    private void startContainer(long id) throws IOException, LaunchException {
        EngineClient.Response r = engine.post("/containers/" + name(id) + "/start", null);
        if (!r.ok() && r.status() != 304) throw new LaunchException("the container did not start: " + r.message());
    }

    private void ensureImage(InstanceSpec spec, Consumer<String> progress) throws IOException, LaunchException {
        String image = spec.image();
        if (engine.get("/images/" + image + "/json").ok()) return;
        Map<String, String> headers = new LinkedHashMap<>();
        try {
            Optional<RegistryLogin> login = RegistryLogin.parse(spec.imageLogin());
            if (login.isPresent() && login.get().appliesTo(image))
                headers.put("X-Registry-Auth", login.get().header(image));
            else if (login.isPresent())
                LOG.info(
                        "instance {}: image_login is for {}, not for {}'s registry; pulling without it",
                        spec.id(),
                        login.get().server(),
                        image);
        } catch (IllegalArgumentException e) {
            throw new LaunchException(e.getMessage(), e);
        }
        String[] ref = splitReference(image);
        PullProgress pull = new PullProgress(image);
        progress.accept(pull.summary());
        try (EngineClient.Connection c = engine.open(
                "POST",
                "/images/create?fromImage=" + EngineClient.q(ref[0]) + "&tag=" + EngineClient.q(ref[1]),
                null,
                headers)) {
            if (c.status() / 100 != 2) {
                String msg = new EngineClient.Response(c.status(), c.body().readAllBytes()).message();
                throw LaunchException.ofRequest("image '" + image + "' could not be pulled: " + msg);
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(c.body(), StandardCharsets.UTF_8));
            long lastReport = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isBlank()) continue;
                JsonNode event;
                try {
                    event = JSON.readTree(line);
                } catch (IOException e) {
                    continue;
                }
                if (pull.accept(event) && System.nanoTime() - lastReport > 1_000_000_000L) {
                    lastReport = System.nanoTime();
                    progress.accept(pull.summary());
                }
            }
        }
        if (pull.error() != null)
            throw LaunchException.ofRequest("image '" + image + "' could not be pulled: " + pull.error());
        if (!engine.get("/images/" + image + "/json").ok())
            throw LaunchException.ofRequest(
                    "image '" + image + "' could not be pulled (the engine has no such image after the pull)");
    }

    /** "repo/name:tag" → [repo/name, tag]; "name@sha256:…" keeps the digest; no tag means latest. */
    static String[] splitReference(String image) {
        int at = image.indexOf('@');
        if (at >= 0) return new String[] {image.substring(0, at), image.substring(at + 1)};
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        if (colon > slash) return new String[] {image.substring(0, colon), image.substring(colon + 1)};
        return new String[] {image, "latest"};
    }

    private Optional<JsonNode> container(long id) throws IOException {
        EngineClient.Response r = engine.get("/containers/" + name(id) + "/json");
        if (r.status() == 404) return Optional.empty();
        if (!r.ok()) throw new IOException("inspecting " + name(id) + " answered " + r.status() + ": " + r.message());
        return Optional.of(r.json());
    }

    private List<JsonNode> ours() throws IOException {
        String filters = JSON.writeValueAsString(Map.of("label", List.of(LABEL_OWNER + "=" + owner)));
        EngineClient.Response r = engine.get("/containers/json?all=true&filters=" + EngineClient.q(filters));
        if (!r.ok()) throw new IOException("listing containers answered " + r.status() + ": " + r.message());
        List<JsonNode> out = new ArrayList<>();
        r.json().forEach(out::add);
        return out;
    }

    private List<List<Integer>> heldGpus(long except) throws IOException {
        List<List<Integer>> held = new ArrayList<>();
        for (JsonNode c : ours()) {
            if (c.path("Labels").path(LABEL_INSTANCE).asText("").equals(Long.toString(except))) continue;
            held.add(GpuSlots.parse(c.path("Labels").path(LABEL_GPUS).asText("")));
        }
        return held;
    }

    private long diskBytes(long id) {
        long[] cached = sizeCache.get(id);
        long now = System.nanoTime();
        if (cached != null && now - cached[1] < 30_000_000_000L) return cached[0];
        long bytes = cached == null ? 0 : cached[0];
        try {
            EngineClient.Response r = engine.get("/containers/" + name(id) + "/json?size=true");
            if (r.ok()) bytes = r.json().path("SizeRw").asLong(bytes);
        } catch (IOException e) {
            // keep the last figure
        }
        sizeCache.put(id, new long[] {bytes, now});
        return bytes;
    }

    private double cpuSeconds(long id) {
        try {
            EngineClient.Response r = engine.get("/containers/" + name(id) + "/stats?stream=false&one-shot=true");
            if (!r.ok()) return 0;
            return r.json()
                            .path("cpu_stats")
                            .path("cpu_usage")
                            .path("total_usage")
                            .asLong(0)
                    / 1e9;
        } catch (IOException e) {
            return 0;
        }
    }

    private String exitMessage(long id, JsonNode state, int code) {
        StringBuilder m = new StringBuilder("exited with code " + code);
        if (state.path("OOMKilled").asBoolean()) m.append(" (out of memory: the container hit its memory limit)");
        else if (code == 137) m.append(" (killed by SIGKILL)");
        else if (code == 127) m.append(" (command not found)");
        else if (code == 126) m.append(" (command not executable)");
        String error = state.path("Error").asText("");
        if (!error.isBlank()) m.append("; ").append(error.strip());
        lastLine(id).ifPresent(l -> m.append("; last output: ").append(l));
        return m.toString();
    }

    private Optional<String> lastLine(long id) {
        try {
            List<String> lines = new String(logs(id), StandardCharsets.UTF_8)
                    .lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty())
                    .toList();
            if (lines.isEmpty()) return Optional.empty();
            String l = lines.getLast();
            return Optional.of(l.length() > 300 ? l.substring(0, 300) + "…" : l);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** "; disk use … exceeds …" when the writable layer outgrew the rented disk (measured, not enforced); else "". */
    static String diskNote(long bytes, JsonNode container) {
        double rentedGb;
        try {
            rentedGb = Double.parseDouble(
                    container.path("Config").path("Labels").path(LABEL_DISK).asText("0"));
        } catch (NumberFormatException e) {
            return "";
        }
        if (rentedGb <= 0 || bytes <= rentedGb * 1e9) return "";
        return String.format("; disk use %.2f GB exceeds the rented %.2f GB", bytes / 1e9, rentedGb);
    }

    private static String gpuNote(JsonNode c) {
        String gpus = c.path("Config").path("Labels").path(LABEL_GPUS).asText("");
        return gpus.isEmpty() ? "" : ", GPUs " + gpus;
    }

    private void resize(String execId, int columns, int rows) {
        if (columns <= 0 || rows <= 0) return;
        try {
            engine.post("/exec/" + execId + "/resize?h=" + rows + "&w=" + columns, null);
        } catch (IOException e) {
            LOG.debug("resizing exec {}: {}", execId, e.getMessage());
        }
    }

    private static List<String> withShell(List<String> args) {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", SHELL, "sh"));
        argv.addAll(args);
        return argv;
    }

    private static int numGpus(InstanceSpec spec) {
        return Math.max(0, spec.numGpus());
    }

    private Path marker(long id) {
        return markers.resolve(id + ".stopped");
    }

    private Object lock(long id) {
        return locks.computeIfAbsent(id, k -> new Object());
    }

    /** Ties a container to one contract: a digest of the instance's own API key (unique per contract). */
    static String contract(InstanceSpec spec) {
        return digest(spec.id() + "/" + (spec.containerApiKey() == null ? "" : spec.containerApiKey()))
                .substring(0, 16);
    }

    private static String digest(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long epoch(String rfc3339) {
        try {
            return rfc3339.isEmpty() ? 0 : Instant.parse(rfc3339).getEpochSecond();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }

    private static int number(String s) {
        try {
            return s == null ? 0 : Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
