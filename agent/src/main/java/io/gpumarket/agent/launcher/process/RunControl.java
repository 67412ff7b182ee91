package io.gpumarket.agent.launcher.process;

import io.gpumarket.agent.launcher.HostTools;
import io.gpumarket.agent.launcher.LaunchException;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watching and ending one run's host processes: waiting for a fresh sandbox to reach its init, stopping a run
 * gracefully, cleaning up processes no record names, and adding up CPU time. The agent never signals anything
 * in its own PID namespace by namespace membership: a run whose "init" turned out not to be in a namespace of
 * its own is only ever signalled by its recorded pids.
 */
final class RunControl {
    private static final Logger LOG = LoggerFactory.getLogger(RunControl.class);
    static final Duration READY_TIMEOUT = Duration.ofSeconds(15);
    static final Duration KILL_WAIT = Duration.ofSeconds(5);
    private static final String INIT_CMDLINE = "/bin/bash " + InstanceScripts.INIT;

    private RunControl() {}

    /**
     * Waits until the sandbox has become the instance's init: a descendant of the wrapper, in another PID
     * namespace, that has exec'd the init script (so the mounts are done and sessions can enter it). Empty when
     * the run already ended by itself (its exit status is recorded: that is data for inspect, not a failure).
     *
     * @param logStart the log's size before this run, to tell "the init ran" from "the sandbox never started"
     */
    static Optional<ProcessRecord> awaitInit(InstanceFiles f, Process wrapper, long logStart, String sandbox)
            throws LaunchException {
        return awaitInit(f, wrapper, logStart, sandbox, INIT_CMDLINE);
    }

    /** {@link #awaitInit(InstanceFiles, Process, long, String)} for a run whose pid 1 runs {@code initCmdline}. */
    static Optional<ProcessRecord> awaitInit(
            InstanceFiles f, Process wrapper, long logStart, String sandbox, String initCmdline)
            throws LaunchException {
        String host = hostNamespace();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            Optional<ProcessHandle> init = wrapper.descendants()
                    .filter(h -> Procs.pidNamespace(h.pid())
                            .filter(ns -> !ns.equals(host))
                            .isPresent())
                    .filter(h -> Procs.cmdline(h.pid()).equals(initCmdline))
                    .findFirst();
            if (init.isPresent()) {
                OptionalLong wrapperStart = Procs.startTime(wrapper.pid());
                OptionalLong initStart = Procs.startTime(init.get().pid());
                if (wrapperStart.isPresent() && initStart.isPresent()) {
                    return Optional.of(new ProcessRecord(
                            wrapper.pid(),
                            wrapperStart.getAsLong(),
                            init.get().pid(),
                            initStart.getAsLong(),
                            Instant.now().getEpochSecond(),
                            sandbox));
                }
            }
            if (!wrapper.isAlive()) {
                if (initWasUp(f, logStart)) return Optional.empty();
                throw new LaunchException("the " + sandbox + " sandbox failed to start (exit code "
                        + f.exitStatus().map(String::valueOf).orElse("unknown") + ")"
                        + StatusMessages.lastOutput(f).map(l -> ": " + l).orElse(""));
            }
            if (System.nanoTime() > deadline) {
                wrapper.descendants().forEach(ProcessHandle::destroyForcibly);
                wrapper.destroyForcibly();
                throw new LaunchException(
                        "the " + sandbox + " sandbox did not come up within " + READY_TIMEOUT.toSeconds() + " s"
                                + StatusMessages.lastOutput(f)
                                        .map(l -> "; last output: " + l)
                                        .orElse(""));
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LaunchException("interrupted while starting the instance", e);
            }
        }
    }

    /**
     * Starts a sandbox's command line in the instance's directory: no input, its output appended to the instance's log,
     * an environment of the host's PATH only (nothing of the agent's own leaks in).
     */
    static Process startSandbox(InstanceFiles f, java.util.List<String> argv) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv)
                .directory(f.dir().toFile())
                .redirectInput(new java.io.File("/dev/null"))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(f.log().toFile()))
                .redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", HostTools.HOST_PATH);
        return pb.start();
    }

    static long logSize(InstanceFiles f) {
        try {
            return Files.size(f.log());
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Ends a run: TERM to every process in the instance's PID namespace but its init, up to {@code grace} for them
     * to exit, then KILL to the init, which makes the kernel kill whatever is left in the namespace.
     */
    static void terminate(ProcessRecord r, Duration grace) {
        Optional<String> ns = instanceNamespace(r);
        if (r.initAlive() && ns.isPresent()) {
            if (grace.isPositive()) {
                // Wait for the processes that got TERM, not for an empty namespace: the idle init keeps starting
                // a new sleep, and anything started from now on dies with the init anyway.
                Map<Long, Long> signalled = new HashMap<>();
                for (long pid : Procs.inNamespace(ns.get())) {
                    if (pid == r.initPid()) continue;
                    OptionalLong start = Procs.startTime(pid);
                    if (start.isPresent()) signalled.put(pid, start.getAsLong());
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
                }
                long deadline = System.nanoTime() + grace.toNanos();
                while (System.nanoTime() < deadline
                        && signalled.entrySet().stream().anyMatch(e -> Procs.alive(e.getKey(), e.getValue()))
                        && pause()) {}
            }
        }
        if (r.initAlive()) ProcessHandle.of(r.initPid()).ifPresent(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + KILL_WAIT.toNanos();
        while (r.running() && System.nanoTime() < deadline && pause()) {}
        if (r.running()) {
            LOG.warn("the wrapper (pid {}) of a stopped instance did not exit; killing it", r.wrapperPid());
            ProcessHandle.of(r.wrapperPid()).ifPresent(h -> {
                h.descendants().forEach(ProcessHandle::destroyForcibly);
                h.destroyForcibly();
            });
        }
    }

    /**
     * Kills host processes of an instance that no record names: left behind when an agent died between starting a
     * sandbox and writing its record. They are recognised by an exact argument naming the instance's run
     * directory, exit-status file or sandbox script; killing their descendants kills the namespace's init.
     */
    static void killStrays(InstanceFiles f) {
        Set<String> markers = Set.of(
                f.run().toString(),
                f.exitStatusFile().toString(),
                f.dir().resolve("sandbox.sh").toString());
        long self = ProcessHandle.current().pid();
        ProcessHandle.allProcesses()
                .filter(h -> h.pid() != self)
                .filter(h -> {
                    try {
                        byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(h.pid()), "cmdline"));
                        for (String arg : new String(raw, StandardCharsets.UTF_8).split("\0"))
                            if (markers.contains(arg)) return true;
                    } catch (IOException e) {
                        // gone already
                    }
                    return false;
                })
                .toList()
                .forEach(h -> {
                    LOG.warn("killing stray process {} of instance {}: {}", h.pid(), f.id(), Procs.cmdline(h.pid()));
                    h.descendants().forEach(ProcessHandle::destroyForcibly);
                    h.destroyForcibly();
                });
    }

    /** CPU seconds used by the run's PID namespace so far. */
    static double cpuSeconds(ProcessRecord r) {
        return instanceNamespace(r)
                .map(ns -> Procs.cpuSeconds(Procs.inNamespace(ns)))
                .orElse(0.0);
    }

    /** The PID namespace of the run's init, provided it is not the agent's own. */
    private static Optional<String> instanceNamespace(ProcessRecord r) {
        String host = hostNamespace();
        return Procs.pidNamespace(r.initPid()).filter(ns -> !ns.equals(host));
    }

    private static String hostNamespace() {
        return Procs.pidNamespace(ProcessHandle.current().pid()).orElse("");
    }

    /** True when the init logged that it was up after {@code logStart}. */
    private static boolean initWasUp(InstanceFiles f, long logStart) {
        try (FileChannel channel = FileChannel.open(f.log())) {
            channel.position(logStart);
            String fresh =
                    new String(Channels.newInputStream(channel).readNBytes(1 << 20), StandardCharsets.ISO_8859_1);
            return fresh.contains(InstanceScripts.INIT_UP);
        } catch (IOException e) {
            return false;
        }
    }

    /** A short wait between polls of /proc; false when interrupted (the caller stops waiting). */
    private static boolean pause() {
        try {
            Thread.sleep(20);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
