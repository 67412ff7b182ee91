package io.gpumarket.agent.metrics;

import io.gpumarket.agent.launcher.Inspection;
import io.gpumarket.agent.launcher.InstanceSpec;
import io.gpumarket.agent.launcher.LaunchException;
import io.gpumarket.agent.launcher.Launcher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A launcher whose lifecycle verbs (start, recover, stop, destroy, exec) are counted by outcome
 * ({@code gpumarket_agent_launcher_operations_total{operation, outcome}}): {@code ok}, {@code failed} (a
 * {@link LaunchException} or any other exception: the renter sees its message), or for recover {@code gone} (the
 * instance was not running any more). Everything else is passed through unchanged.
 */
final class CountingLauncher implements Launcher {
    private final Launcher launcher;
    private final Counter startOk;
    private final Counter startFailed;
    private final Counter recoverOk;
    private final Counter recoverGone;
    private final Counter recoverFailed;
    private final Counter stopOk;
    private final Counter stopFailed;
    private final Counter destroyOk;
    private final Counter destroyFailed;
    private final Counter execOk;
    private final Counter execFailed;

    CountingLauncher(Launcher launcher, MeterRegistry registry) {
        this.launcher = launcher;
        this.startOk = counter(registry, "start", "ok");
        this.startFailed = counter(registry, "start", "failed");
        this.recoverOk = counter(registry, "recover", "ok");
        this.recoverGone = counter(registry, "recover", "gone");
        this.recoverFailed = counter(registry, "recover", "failed");
        this.stopOk = counter(registry, "stop", "ok");
        this.stopFailed = counter(registry, "stop", "failed");
        this.destroyOk = counter(registry, "destroy", "ok");
        this.destroyFailed = counter(registry, "destroy", "failed");
        this.execOk = counter(registry, "exec", "ok");
        this.execFailed = counter(registry, "exec", "failed");
    }

    private static Counter counter(MeterRegistry registry, String operation, String outcome) {
        return Counter.builder("gpumarket.agent.launcher.operations")
                .description("launcher operations by outcome (exec: sessions started for the SSH door)")
                .tag("operation", operation)
                .tag("outcome", outcome)
                .register(registry);
    }

    @Override
    public String kind() {
        return launcher.kind();
    }

    @Override
    public void start(InstanceSpec spec) throws LaunchException {
        try {
            launcher.start(spec);
        } catch (LaunchException | RuntimeException e) {
            startFailed.increment();
            throw e;
        }
        startOk.increment();
    }

    @Override
    public void start(InstanceSpec spec, Consumer<String> progress) throws LaunchException {
        try {
            launcher.start(spec, progress);
        } catch (LaunchException | RuntimeException e) {
            startFailed.increment();
            throw e;
        }
        startOk.increment();
    }

    /** Forwarded (not the interface's default), so a launcher's own recycle — Docker's fresh pull — is the one run. */
    @Override
    public void recycle(InstanceSpec spec, Consumer<String> progress) throws LaunchException {
        try {
            launcher.recycle(spec, progress);
        } catch (LaunchException | RuntimeException e) {
            startFailed.increment();
            throw e;
        }
        startOk.increment();
    }

    @Override
    public boolean recover(InstanceSpec spec) {
        boolean running;
        try {
            running = launcher.recover(spec);
        } catch (RuntimeException e) {
            recoverFailed.increment();
            throw e;
        }
        (running ? recoverOk : recoverGone).increment();
        return running;
    }

    @Override
    public void stop(long instanceId, Duration grace) {
        try {
            launcher.stop(instanceId, grace);
        } catch (RuntimeException e) {
            stopFailed.increment();
            throw e;
        }
        stopOk.increment();
    }

    @Override
    public void destroy(long instanceId) {
        try {
            launcher.destroy(instanceId);
        } catch (RuntimeException e) {
            destroyFailed.increment();
            throw e;
        }
        destroyOk.increment();
    }

    @Override
    public Inspection inspect(long instanceId) {
        return launcher.inspect(instanceId);
    }

    @Override
    public Process exec(long instanceId, List<String> command, Map<String, String> extraEnv, boolean pty)
            throws LaunchException {
        Process p;
        try {
            p = launcher.exec(instanceId, command, extraEnv, pty);
        } catch (LaunchException | RuntimeException e) {
            execFailed.increment();
            throw e;
        }
        execOk.increment();
        return p;
    }

    @Override
    public Process execFiles(long instanceId, List<String> command, Map<String, String> extraEnv)
            throws LaunchException {
        Process p;
        try {
            p = launcher.execFiles(instanceId, command, extraEnv);
        } catch (LaunchException | RuntimeException e) {
            execFailed.increment();
            throw e;
        }
        execOk.increment();
        return p;
    }

    @Override
    public void resizeTerminal(Process session, int columns, int rows) {
        launcher.resizeTerminal(session, columns, rows);
    }

    @Override
    public OptionalInt openSessions() {
        return launcher.openSessions();
    }

    @Override
    public Set<Long> known() {
        return launcher.known();
    }

    @Override
    public Path logFile(long instanceId) {
        return launcher.logFile(instanceId);
    }

    @Override
    public byte[] logs(long instanceId) throws IOException {
        return launcher.logs(instanceId);
    }

    @Override
    public List<String> sftpCommand() {
        return launcher.sftpCommand();
    }

    @Override
    public void prepare(InstanceSpec spec) throws LaunchException {
        launcher.prepare(spec);
    }

    @Override
    public List<String> ownPaths() {
        return launcher.ownPaths();
    }

    @Override
    public List<String> rsyncCommand() {
        return launcher.rsyncCommand();
    }

    @Override
    public List<String> relayCommand() {
        return launcher.relayCommand();
    }

    @Override
    public List<String> rcloneCommand() {
        return launcher.rcloneCommand();
    }

    @Override
    public Map<String, String> rcloneEnvironment() {
        return launcher.rcloneEnvironment();
    }

    @Override
    public boolean removesUnclaimed() {
        return launcher.removesUnclaimed();
    }

    @Override
    public boolean mapsPorts() {
        return launcher.mapsPorts();
    }

    @Override
    public List<String> unpublished(long instanceId, Map<String, Integer> ports) {
        return launcher.unpublished(instanceId, ports);
    }

    /** Forwarded as every other operation: left to the interface's default, deleted volumes were never wiped. */
    @Override
    public void keepVolumes(Set<Long> volumeIds) {
        launcher.keepVolumes(volumeIds);
    }

    @Override
    public void close() {
        launcher.close();
    }
}
