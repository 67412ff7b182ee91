package io.gpumarket.agent.launcher.process;

import io.gpumarket.agent.launcher.HostTools;
import io.gpumarket.agent.launcher.LaunchException;
import io.gpumarket.agent.launcher.VolumeMount;
import io.gpumarket.agent.launcher.limits.InstanceLimits;
import io.gpumarket.agent.launcher.limits.VolumeStorage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Runs over a stopped instance's files ({@link ProcessLauncher#execFiles}): copies and execute reach a stopped
 * instance as Vast's do. A run at rest is the instance's own sandbox — the same view of the host, the same
 * {@code root/}, {@code workspace/} and {@code tmp/}, the same user namespace and uid range, its own network
 * namespace (pasta, no published ports), the instance's cgroup — whose pid 1 is {@link InstanceScripts#REST_SH}
 * instead of the instance's init, so none of the renter's programs start (no onstart, no main command, no Jupyter).
 * Sessions enter it exactly as they enter a running instance ({@link SessionCommand}), so what they can see and do is
 * what they could in the running instance, no more.
 *
 * <p>One run at rest per instance, shared by its sessions and ended with the last of them; a start or destroy of
 * the instance ends it first. Not recorded on disk: one an agent left behind when it died is killed as a stray by
 * the next start or run at rest ({@link RunControl#killStrays}). The instance's volumes are bound where its last
 * start had them (recorded with that start, {@link InstanceFiles#volumes}); one wiped since (deleted on the server)
 * is left out rather than made again empty.
 */
final class RestRuns {
    private static final String REST_CMDLINE = "/bin/bash " + InstanceScripts.REST;

    private record Rest(ProcessRecord record, int sessions) {}

    private final Sandbox sandbox;
    private final InstanceLimits limits;
    private final UidRange uids;
    private final VolumeStorage volumes;
    private final Map<Long, Rest> runs = new HashMap<>();

    RestRuns(Sandbox sandbox, InstanceLimits limits, UidRange uids, VolumeStorage volumes) {
        this.sandbox = sandbox;
        this.limits = limits;
        this.uids = uids;
        this.volumes = volumes;
    }

    /**
     * Starts {@code command} in the instance's run at rest (started first when it has none), as a session; the
     * session counts until its process ends. The caller holds the instance's lock and has checked it is not running.
     */
    synchronized Process session(InstanceFiles f, List<String> command, Map<String, String> extraEnv)
            throws LaunchException {
        long id = f.id();
        Rest rest = runs.get(id);
        if (rest == null || !rest.record().initAlive()) {
            rest = new Rest(start(f), 0);
        }
        List<String> argv = new ArrayList<>(limits.joinPrefix(id));
        argv.addAll(SessionCommand.argv(rest.record(), command, extraEnv, false));
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().clear();
        pb.environment().put("PATH", HostTools.HOST_PATH);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            if (rest.sessions() == 0) RunControl.terminate(rest.record(), Duration.ZERO);
            runs.remove(id);
            throw new LaunchException("could not enter instance " + id + "'s files: " + e.getMessage(), e);
        }
        runs.put(id, new Rest(rest.record(), rest.sessions() + 1));
        ProcessRecord record = rest.record();
        p.onExit().thenRun(() -> leave(id, record));
        return p;
    }

    /** Ends the instance's run at rest, sessions and all (it is about to start, or to be destroyed). */
    synchronized void end(long id) {
        Rest rest = runs.remove(id);
        if (rest != null) RunControl.terminate(rest.record(), Duration.ZERO);
    }

    /** True while the instance has a run at rest (for tests). */
    synchronized boolean active(long id) {
        Rest rest = runs.get(id);
        return rest != null && rest.record().initAlive();
    }

    private synchronized void leave(long id, ProcessRecord record) {
        Rest rest = runs.get(id);
        if (rest == null || !rest.record().equals(record)) return; // ended already; a newer run is not this one's
        if (rest.sessions() > 1) {
            runs.put(id, new Rest(record, rest.sessions() - 1));
            return;
        }
        runs.remove(id);
        RunControl.terminate(record, Duration.ZERO);
    }

    private ProcessRecord start(InstanceFiles f) throws LaunchException {
        long id = f.id();
        if (!f.exists()) throw new LaunchException("instance " + id + " has no files on this host");
        RunControl.killStrays(f); // a run at rest an earlier agent left behind (the instance itself is stopped)
        Properties meta = f.readMeta();
        List<String> command;
        long hostUid;
        try {
            // the disk image mounted again (after a host restart) and the instance's cgroup made fresh
            limits.prepare(id, f.dir(), StatusMessages.rentedDiskGb(meta), numGpus(meta));
            f.writeRestScript();
            hostUid = sandbox.userNamespace() ? UidRange.hostUid(uids.claim(f)) : 0;
            command = sandbox.command(
                    new Sandbox.Run(f, "C." + id, hostUid, Map.of(), volumeBinds(meta), InstanceScripts.REST));
            f.ownBy(hostUid);
        } catch (IOException e) {
            throw new LaunchException("could not open instance " + id + "'s files at rest: " + e.getMessage(), e);
        }
        List<String> argv = new ArrayList<>(limits.joinPrefix(id));
        argv.addAll(command);
        long logStart = RunControl.logSize(f);
        Process wrapper;
        try {
            wrapper = RunControl.startSandbox(f, argv);
        } catch (IOException e) {
            throw new LaunchException(
                    "could not start the sandbox over instance " + id + "'s files: " + e.getMessage(), e);
        }
        return RunControl.awaitInit(f, wrapper, logStart, sandbox.name(), REST_CMDLINE)
                .orElseThrow(() -> new LaunchException(
                        "the sandbox over instance " + id + "'s files ended as soon as it started"));
    }

    /**
     * The last start's volumes, each mounted again if a host restart unmounted it ({@link VolumeStorage#ensure}); a
     * volume no longer stored here is left out. Their files are not chowned: the last start made them this
     * instance's root's, and if another instance has the volume now, they are that one's.
     */
    private List<Sandbox.VolumeBind> volumeBinds(Properties meta) throws IOException {
        List<Sandbox.VolumeBind> binds = new ArrayList<>();
        java.util.Set<Long> stored = volumes.stored();
        for (VolumeMount v : InstanceFiles.volumes(meta)) {
            if (!stored.contains(v.id())) continue;
            binds.add(new Sandbox.VolumeBind(volumes.ensure(v.id(), v.sizeGb()), v.mountPath()));
        }
        return binds;
    }

    private static int numGpus(Properties meta) {
        try {
            return Integer.parseInt(meta.getProperty("numGpus", "1"));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
