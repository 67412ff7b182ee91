package io.gpumarket.agent.launcher.process;

import io.gpumarket.agent.launcher.HostTools;
import io.gpumarket.agent.launcher.Inspection;
import io.gpumarket.agent.launcher.Inspection.State;
import io.gpumarket.agent.launcher.InstanceEnvironment;
import io.gpumarket.agent.launcher.InstanceSpec;
import io.gpumarket.agent.launcher.LaunchException;
import io.gpumarket.agent.launcher.Launcher;
import io.gpumarket.agent.launcher.NetDev;
import io.gpumarket.agent.launcher.VolumeMount;
import io.gpumarket.agent.launcher.limits.DiskImage;
import io.gpumarket.agent.launcher.limits.InstanceLimits;
import io.gpumarket.agent.launcher.limits.MachineSize;
import io.gpumarket.agent.launcher.limits.ResourceIsolation;
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
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The launcher for hosts without a container engine: each instance is a process tree in its own mount, PID, UTS
 * and IPC namespaces, with its own {@code /root}, {@code /workspace} and {@code /tmp} backed by
 * {@code <instances>/<id>/} and a minimal read-only view of the host's system ({@link HostView}), its root keeping
 * only a few capabilities. Where the host has bubblewrap, user namespaces and pasta ({@link Isolation}), it also gets
 * a user namespace (root inside is an unprivileged host uid of its own, {@link UidRange}) and a network namespace
 * whose published ports pasta forwards ({@link IsolatedSandbox}); elsewhere it shares the host's network and runs
 * as the host's root, which {@link #missingIsolation()} says so the agent can refuse to list the machine. The
 * {@code image} is recorded and shown, never pulled: the host's programs are the image.
 *
 * <p><b>Detached, so it outlives the agent.</b> Each run is started as {@code setsid bash -c WRAPPER} with the
 * sandbox command under it; the wrapper lives in its own session, outside the agent's process group, and writes
 * the run's exit status to a file when it ends. Killing the agent (even {@code kill -9}) leaves instances running;
 * the next agent {@linkplain #recover re-attaches} using {@code process.properties}: wrapper and init, each named
 * by pid <em>and</em> start time, so a reused pid never passes for the instance. (Under systemd the agent's unit
 * needs {@code KillMode=process}, or stopping the unit kills its whole cgroup, instances included.)
 *
 * <p><b>Sessions</b> ({@link #exec}) enter the running init's namespaces with {@code nsenter} (its user and network
 * namespaces too, where it has them), drop the same capabilities with {@code setpriv}, load the instance's
 * environment and start in {@code /root}; with a PTY the command runs under util-linux {@code script}, which
 * allocates a pseudo-terminal from the instance's own devpts.
 *
 * <p>Needs root, util-linux, bash and coreutils; bubblewrap and passt for isolation. Verbs on one instance are
 * serialised; different instances proceed in parallel.
 */
public final class ProcessLauncher implements Launcher {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessLauncher.class);

    private final Path instancesDir;
    private final Sandbox sandbox;
    private final VolumeStorage volumes;
    private final String noSandboxReason;
    private final List<String> missingIsolation;
    private final UidRange uids;
    private final InstanceLimits limits;
    private final Map<Long, Object> locks = new ConcurrentHashMap<>();
    private final Map<Long, DiskUsage> diskUsage = new ConcurrentHashMap<>();
    /** Runs over stopped instances' files (copies, execute), null without a sandbox. */
    private final RestRuns rests;

    /**
     * The agent's launcher: instances in {@code instancesDir}, sandbox chosen automatically, the agent's state
     * hidden from instances (see {@link #ProcessLauncher(Path, SandboxKind, List)}).
     */
    public ProcessLauncher(Path instancesDir) {
        this(instancesDir, SandboxKind.AUTO, List.of());
    }

    /** Published ports bound on all addresses. */
    public ProcessLauncher(Path instancesDir, SandboxKind kind, List<Path> hiddenPaths) {
        this(instancesDir, kind, hiddenPaths, "0.0.0.0");
    }

    /**
     * @param instancesDir where instance directories live ({@code <state>/instances}); created if missing
     * @param kind         the sandbox to use; a named one that is not installed fails here
     * @param hiddenPaths  host directories instances must not see, besides {@code instancesDir} and, when it is
     *                     named {@code instances}, its parent (the agent's state dir, which holds the SSH host
     *                     key); pass the agent's config directory here. (The view is an allow-list, so these
     *                     matter only where they lie inside an allowed directory such as {@code /opt}.)
     * @param bindHost     where published ports are bound on the host (the agent's {@code --bind})
     */
    public ProcessLauncher(Path instancesDir, SandboxKind kind, List<Path> hiddenPaths, String bindHost) {
        this(instancesDir, kind, hiddenPaths, bindHost, MachineSize.thisHost(0));
    }

    /** Published ports bound on all addresses; instances limited to their share of {@code machine}. */
    public ProcessLauncher(Path instancesDir, SandboxKind kind, List<Path> hiddenPaths, MachineSize machine) {
        this(instancesDir, kind, hiddenPaths, "0.0.0.0", machine);
    }

    /**
     * … whose instances get their share of {@code machine} as cgroup limits, and their rented disk as an image
     * ({@link InstanceLimits}), as far as this host allows ({@link #isolation()}).
     */
    public ProcessLauncher(
            Path instancesDir, SandboxKind kind, List<Path> hiddenPaths, String bindHost, MachineSize machine) {
        this.instancesDir = instancesDir.toAbsolutePath().normalize();
        // beside the instances, so destroying an instance (its directory) never reaches a volume
        this.volumes = new VolumeStorage(this.instancesDir.resolveSibling("volumes"));
        try {
            Files.createDirectories(this.instancesDir);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "instances directory " + this.instancesDir + " cannot be created: " + e.getMessage(), e);
        }
        List<Path> hidden = new ArrayList<>(hiddenPaths);
        hidden.add(this.instancesDir);
        if (this.instancesDir.getFileName().toString().equals("instances") && this.instancesDir.getParent() != null) {
            hidden.add(this.instancesDir.getParent());
        }
        HostView view = new HostView(hidden);
        Optional<Path> bwrap = HostTools.find("bwrap");
        Optional<Path> unshare = HostTools.find("unshare");
        Isolation isolation = kind == SandboxKind.AUTO || kind == SandboxKind.ISOLATED ? Isolation.probe() : null;
        Sandbox chosen = null;
        String reason = null;
        switch (kind) {
            case ISOLATED -> {
                if (!isolation.complete()) {
                    throw new IllegalArgumentException("sandbox ISOLATED was asked for but this host lacks "
                            + String.join(", ", isolation.missing()));
                }
                chosen = new IsolatedSandbox(view, bindHost);
            }
            case BWRAP ->
                chosen = new BwrapSandbox(
                        bwrap.orElseThrow(
                                        () -> new IllegalArgumentException(
                                                "sandbox BWRAP was asked for but bwrap is not installed (Debian package bubblewrap)"))
                                .toString(),
                        view);
            case UNSHARE ->
                chosen = new UnshareSandbox(
                        unshare.orElseThrow(
                                        () -> new IllegalArgumentException(
                                                "sandbox UNSHARE was asked for but unshare is not installed (Debian package util-linux)"))
                                .toString(),
                        view);
            case AUTO -> {
                if (isolation.complete()) {
                    chosen = new IsolatedSandbox(view, bindHost);
                } else if (bwrap.isPresent() && bwrapWorks(bwrap.get())) {
                    chosen = new BwrapSandbox(bwrap.get().toString(), view);
                } else if (unshare.isPresent()) {
                    chosen = new UnshareSandbox(unshare.get().toString(), view);
                } else {
                    reason =
                            "the process launcher needs bubblewrap or util-linux's unshare on the host, and neither is installed";
                }
            }
        }
        this.sandbox = chosen;
        this.noSandboxReason = reason;
        this.missingIsolation = chosen instanceof IsolatedSandbox
                ? List.of()
                : isolation != null && !isolation.complete()
                        ? isolation.missing()
                        : List.of("the " + kind.name().toLowerCase()
                                + " sandbox (instances would share the host's network and run as the host's root)");
        this.uids = new UidRange(UidRange.DEFAULT_REGISTRY);
        this.limits = InstanceLimits.detect(this.instancesDir, machine);
        this.rests = chosen == null ? null : new RestRuns(chosen, limits, uids, volumes);
    }

    /** The resource limits this host lets the launcher enforce, and those it cannot (each with why). */
    public ResourceIsolation isolation() {
        return limits.isolation();
    }

    /**
     * Where instances have their own network namespace, pasta forwards their published ports; otherwise they share
     * the host's network and the agent relays published ports to them on loopback.
     */
    @Override
    public boolean mapsPorts() {
        return sandbox != null && sandbox.ownsNetwork();
    }

    /**
     * The published ports pasta could not open on the host (something else holds them); asked when the agent opens
     * the instance's door, so the renter's status message names them. Empty for runs on the host's network.
     */
    @Override
    public List<String> unpublished(long instanceId, Map<String, Integer> ports) {
        Optional<ProcessRecord> r =
                files(instanceId).record().filter(ProcessRecord::running).filter(ProcessRecord::ownNetwork);
        if (r.isEmpty()) return List.of();
        // pasta may re-exec itself as a CPU-specific passt binary: it is known by the options the sandbox gave it.
        Optional<ProcessHandle> relay = ProcessHandle.of(r.get().wrapperPid()).stream()
                .flatMap(ProcessHandle::descendants)
                .filter(h -> Procs.cmdline(h.pid()).contains(IsolatedSandbox.PASTA_MARKER))
                .findFirst();
        return relay.map(h -> PublishedPorts.unopened(h.pid(), ports)).orElse(List.of());
    }

    /**
     * What this host lacks for instances to be isolated from each other and from the host (each entry names a
     * piece and how to get it); empty when new runs get their own user and network namespaces.
     */
    public List<String> missingIsolation() {
        return missingIsolation;
    }

    @Override
    public String kind() {
        return "process";
    }

    /** "isolated", "bwrap" or "unshare": the sandbox new runs get ("none" when none is usable). */
    public String sandbox() {
        return sandbox == null ? "none" : sandbox.name();
    }

    @Override
    public void start(InstanceSpec spec) throws LaunchException {
        long id = spec.id();
        synchronized (lock(id)) {
            if (rests != null) rests.end(id); // the instance's own run takes over its files
            InstanceFiles f = files(id);
            InstanceEnvironment env = InstanceEnvironment.of(spec);
            Optional<ProcessRecord> current = f.record().filter(ProcessRecord::running);
            if (current.isPresent() && current.get().initAlive()) {
                refreshRunFiles(f, spec, env);
                return;
            }
            current.ifPresent(
                    dying -> RunControl.terminate(dying, Duration.ZERO)); // its init is gone: let the rest go too
            if (sandbox == null) throw new LaunchException(noSandboxReason);
            if (!HostTools.runningAsRoot()) {
                throw new LaunchException(
                        "the process launcher must run as root (it creates mount and PID namespaces); "
                                + "run the agent as root or give it a container engine");
            }
            String setsid = HostTools.require("setsid", "util-linux");
            RunControl.killStrays(f);
            List<String> command;
            try {
                limits.prepare(id, f.dir(), spec.diskGb(), spec.numGpus());
            } catch (IOException e) {
                throw new LaunchException("could not set up the instance's resource limits: " + e.getMessage(), e);
            }
            try {
                f.create();
                f.writeRunFiles(spec, env);
                f.clearRunState();
                long hostUid = sandbox.userNamespace() ? UidRange.hostUid(uids.claim(f)) : 0;
                List<Sandbox.VolumeBind> binds = new ArrayList<>();
                for (VolumeMount v : spec.volumes()) {
                    Path data = volumes.ensure(v.id(), v.sizeGb());
                    // the volume's files belong to whoever is root inside now (an earlier instance had another uid)
                    InstanceFiles.ownTree(data, hostUid);
                    binds.add(new Sandbox.VolumeBind(data, v.mountPath()));
                }
                command = sandbox.command(new Sandbox.Run(f, env.hostname(), hostUid, spec.ports(), binds));
                f.ownBy(hostUid);
            } catch (IOException e) {
                throw new LaunchException(
                        "could not prepare the instance's files in " + f.dir() + ": " + e.getMessage(), e);
            }
            f.appendLog("[gpumarket " + Instant.now() + "] starting instance " + id + " as a sandboxed process ("
                    + sandbox.name() + "); image '" + spec.image() + "' is recorded, not pulled");
            if (!missingIsolation.isEmpty())
                f.appendLog("[gpumarket] weak isolation on this host: it lacks " + String.join(", ", missingIsolation));
            env.notes().forEach(n -> f.appendLog("[gpumarket] " + n));

            List<String> argv = new ArrayList<>(List.of(
                    setsid,
                    "/bin/bash",
                    "-c",
                    InstanceScripts.WRAPPER,
                    f.exitStatusFile().toString()));
            argv.addAll(limits.joinPrefix(id)); // the sandbox and all it starts run in the instance's cgroup
            argv.addAll(command);
            long logStart = RunControl.logSize(f);
            Process wrapper;
            try {
                wrapper = RunControl.startSandbox(f, argv);
            } catch (IOException e) {
                throw new LaunchException("could not start the sandbox: " + e.getMessage(), e);
            }
            Optional<ProcessRecord> started = RunControl.awaitInit(f, wrapper, logStart, sandbox.name());
            if (started.isEmpty()) {
                LOG.info("instance {} ran and exited before its start was confirmed; inspect reports how", id);
                return;
            }
            ProcessRecord record = started.get();
            try {
                record.write(f.processRecord());
            } catch (IOException e) {
                RunControl.terminate(record, Duration.ZERO);
                throw new LaunchException(
                        "could not record the instance's processes in " + f.processRecord() + ": " + e.getMessage(), e);
            }
            LOG.info("instance {} started ({} sandbox, init pid {})", id, sandbox.name(), record.initPid());
        }
    }

    /**
     * Makes the instance's directory as a start would — its disk image (or plain directories) with {@code root/},
     * {@code workspace/} and {@code tmp/}, its run files and {@code instance.properties} — and runs nothing, so a run
     * at rest ({@link #execFiles}) can open it (the destination of a move pulls its disk in this way) and the first
     * start finds it ready. Nothing is done when the directory and its spec are already there.
     */
    @Override
    public void prepare(InstanceSpec spec) throws LaunchException {
        long id = spec.id();
        synchronized (lock(id)) {
            InstanceFiles f = files(id);
            if (f.exists() && Files.exists(f.meta())) return;
            if (sandbox == null) throw new LaunchException(noSandboxReason);
            if (!HostTools.runningAsRoot())
                throw new LaunchException("the process launcher must run as root to make an instance's files");
            try {
                limits.prepare(id, f.dir(), spec.diskGb(), spec.numGpus());
                f.create();
                // the spec of the coming start: a run at rest reads its disk size and GPUs from instance.properties
                f.writeRunFiles(spec, InstanceEnvironment.of(spec));
                // its volumes' storage too, the instance's root's: a run at rest binds them where a start would,
                // and the pull of a move fills them through their mount paths (docs/migrate.md)
                if (!spec.volumes().isEmpty()) {
                    long hostUid = sandbox.userNamespace() ? UidRange.hostUid(uids.claim(f)) : 0;
                    for (VolumeMount v : spec.volumes())
                        InstanceFiles.ownTree(volumes.ensure(v.id(), v.sizeGb()), hostUid);
                }
            } catch (IOException e) {
                throw new LaunchException(
                        "could not prepare the instance's files in " + f.dir() + ": " + e.getMessage(), e);
            }
            f.appendLog("[gpumarket " + Instant.now() + "] files of instance " + id + " made; not started yet");
            LOG.info("instance {}: files made without a start", id);
        }
    }

    /** An instance's own files are its {@code /root}, {@code /workspace} and {@code /tmp}; the rest is the host's. */
    @Override
    public List<String> ownPaths() {
        return OWN_PATHS;
    }

    /** The instance's own directories in its view ({@link HostView}), backed by {@link InstanceFiles}. */
    static final List<String> OWN_PATHS = List.of("/root", "/workspace", "/tmp");

    @Override
    public boolean recover(InstanceSpec spec) {
        long id = spec.id();
        synchronized (lock(id)) {
            InstanceFiles f = files(id);
            Optional<ProcessRecord> record =
                    f.record().filter(ProcessRecord::running).filter(ProcessRecord::initAlive);
            if (record.isEmpty()) return false;
            limits.reapply(id, spec.numGpus());
            try {
                refreshRunFiles(f, spec, InstanceEnvironment.of(spec));
            } catch (LaunchException e) {
                LOG.warn(
                        "instance {} recovered, but its session environment could not be refreshed: {}",
                        id,
                        e.getMessage());
            }
            LOG.info(
                    "instance {} recovered (init pid {} still running)",
                    id,
                    record.get().initPid());
            return true;
        }
    }

    @Override
    public void stop(long instanceId, Duration grace) {
        synchronized (lock(instanceId)) {
            InstanceFiles f = files(instanceId);
            Optional<ProcessRecord> record = f.record().filter(ProcessRecord::running);
            if (record.isEmpty()) return;
            try {
                f.markStopped();
            } catch (IOException e) {
                LOG.warn("instance {}: could not write its stopped marker: {}", instanceId, e.getMessage());
            }
            limits.beforeStop(instanceId);
            RunControl.terminate(record.get(), grace);
            f.appendLog("[gpumarket " + Instant.now() + "] stopped");
        }
    }

    @Override
    public void keepVolumes(java.util.Set<Long> volumeIds) {
        volumes.keepOnly(volumeIds);
    }

    @Override
    public void destroy(long instanceId) {
        synchronized (lock(instanceId)) {
            InstanceFiles f = files(instanceId);
            if (rests != null) rests.end(instanceId);
            limits.beforeStop(instanceId);
            f.record().filter(ProcessRecord::running).ifPresent(r -> RunControl.terminate(r, Duration.ZERO));
            RunControl.killStrays(f);
            limits.release(instanceId, f.dir());
            uids.release(f);
            try {
                f.delete();
            } catch (IOException e) {
                LOG.warn(
                        "instance {}: not all of its files in {} could be deleted: {}",
                        instanceId,
                        f.dir(),
                        e.getMessage());
            }
            diskUsage.remove(instanceId);
        }
    }

    @Override
    public Inspection inspect(long instanceId) {
        InstanceFiles f = files(instanceId);
        if (!f.exists())
            return new Inspection(State.ABSENT, null, 0, 0, 0, "no files for instance " + instanceId + " on this host");
        Properties meta = f.readMeta();
        Optional<DiskImage.Space> image = limits.disk(f.dir());
        long disk = image.map(DiskImage.Space::usedBytes)
                .orElseGet(() -> diskUsage
                        .computeIfAbsent(instanceId, k -> new DiskUsage(List.of(f.root(), f.workspace(), f.tmp())))
                        .bytes());
        // An image says itself when it is full; plain directories are measured against the rented size.
        String diskNote = (image.isPresent() ? "" : StatusMessages.diskNote(disk, meta))
                + limits.notes(instanceId, f.dir(), StatusMessages.rentedDiskGb(meta));
        Optional<ProcessRecord> record = f.record();
        if (record.isPresent() && record.get().running()) {
            ProcessRecord r = record.get();
            // An own network namespace starts each run at zero: its interface counters are the run's traffic.
            NetDev.Counters traffic = r.ownNetwork() && r.initAlive() ? NetDev.ofProcess(r.initPid()) : null;
            return new Inspection(
                    State.RUNNING,
                    null,
                    disk,
                    RunControl.cpuSeconds(r),
                    r.startedAt(),
                    StatusMessages.running(meta, f) + diskNote,
                    traffic == null ? null : traffic.rxBytes(),
                    traffic == null ? null : traffic.txBytes());
        }
        if (f.stoppedOnRequest())
            return new Inspection(State.STOPPED, null, disk, 0, 0, "stopped; its files are kept" + diskNote);
        Optional<Integer> status = f.exitStatus();
        if (status.isPresent())
            return new Inspection(
                    State.EXITED, status.get(), disk, 0, 0, StatusMessages.exited(status.get(), f) + diskNote);
        String message = record.isPresent()
                ? "not running: its processes ended without an exit status (the host restarted?); its files are kept"
                : "not started yet";
        return new Inspection(State.STOPPED, null, disk, 0, 0, message + diskNote);
    }

    @Override
    public Process exec(long instanceId, List<String> command, Map<String, String> extraEnv, boolean pty)
            throws LaunchException {
        if (command.isEmpty()) throw new LaunchException("no command to run");
        ProcessRecord r = files(instanceId)
                .record()
                .filter(ProcessRecord::running)
                .filter(ProcessRecord::initAlive)
                .orElseThrow(() -> new LaunchException("instance " + instanceId + " is not running"));
        List<String> argv =
                new ArrayList<>(limits.joinPrefix(instanceId)); // sessions count against the instance's limits
        argv.addAll(SessionCommand.argv(r, command, extraEnv, pty));
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().clear();
        pb.environment().put("PATH", HostTools.HOST_PATH);
        try {
            return pb.start();
        } catch (IOException e) {
            throw new LaunchException("could not enter instance " + instanceId + ": " + e.getMessage(), e);
        }
    }

    /**
     * While the instance runs, {@link #exec}; while it is stopped, the command runs in a run at rest ({@link
     * RestRuns}): the instance's own sandbox over its files, with none of its programs started.
     */
    @Override
    public Process execFiles(long instanceId, List<String> command, Map<String, String> extraEnv)
            throws LaunchException {
        if (command.isEmpty()) throw new LaunchException("no command to run");
        synchronized (lock(instanceId)) {
            InstanceFiles f = files(instanceId);
            boolean running = f.record()
                    .filter(ProcessRecord::running)
                    .filter(ProcessRecord::initAlive)
                    .isPresent();
            if (running) return exec(instanceId, command, extraEnv, false);
            if (rests == null) throw new LaunchException(noSandboxReason);
            if (!HostTools.runningAsRoot())
                throw new LaunchException("the process launcher must run as root to open a stopped instance's files");
            return rests.session(f, command, extraEnv);
        }
    }

    /** True while a stopped instance's files are open for copies or execute ({@link #execFiles}); for tests. */
    public boolean openAtRest(long instanceId) {
        return rests != null && rests.active(instanceId);
    }

    /** Sets the size of the session's pseudo-terminal from the host; the kernel then sends SIGWINCH to its foreground. */
    @Override
    public void resizeTerminal(Process session, int columns, int rows) {
        SessionCommand.resize(session, columns, rows);
    }

    @Override
    public Set<Long> known() {
        Set<Long> ids = new TreeSet<>();
        try (Stream<Path> dirs = Files.list(instancesDir)) {
            dirs.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !n.isEmpty() && n.chars().allMatch(Character::isDigit))
                    .forEach(n -> ids.add(Long.parseLong(n)));
        } catch (IOException e) {
            LOG.warn("cannot list {}: {}", instancesDir, e.getMessage());
        }
        return ids;
    }

    @Override
    public Path logFile(long instanceId) {
        return files(instanceId).log();
    }

    /** The host pid of the instance's init (pid 1 inside it) while it runs: for diagnostics and tests. */
    public OptionalLong initPid(long instanceId) {
        return files(instanceId)
                .record()
                .filter(ProcessRecord::running)
                .filter(ProcessRecord::initAlive)
                .map(r -> OptionalLong.of(r.initPid()))
                .orElse(OptionalLong.empty());
    }

    /** The instance's directory on the host (its /root, /workspace and /tmp are below it). */
    public Path instanceDir(long instanceId) {
        return files(instanceId).dir();
    }

    /** Instances keep running when the agent stops; there is nothing to release. */
    @Override
    public void close() {}

    private InstanceFiles files(long id) {
        return InstanceFiles.of(instancesDir, id);
    }

    private Object lock(long id) {
        return locks.computeIfAbsent(id, k -> new Object());
    }

    private void refreshRunFiles(InstanceFiles f, InstanceSpec spec, InstanceEnvironment env) throws LaunchException {
        try {
            f.writeRunFiles(spec, env);
            long owner = f.record()
                    .filter(ProcessRecord::userNamespace)
                    .flatMap(r -> UidRange.heldHostUid(f))
                    .orElse(0L);
            f.ownBy(owner);
        } catch (IOException e) {
            throw new LaunchException("could not write the instance's files in " + f.run() + ": " + e.getMessage(), e);
        }
    }

    /** A quick check that bwrap can make namespaces here (some kernels and LSM policies forbid it). */
    private static boolean bwrapWorks(Path bwrap) {
        if (!HostTools.runningAsRoot()) return true; // start() refuses non-root anyway, with a clearer message
        return HostTools.succeeds(
                bwrap.toString(),
                "--unshare-pid",
                "--unshare-uts",
                "--ro-bind",
                "/",
                "/",
                "--proc",
                "/proc",
                "--dev",
                "/dev",
                "--",
                "/bin/true");
    }
}
