package io.gpumarket.agent.sync;

import io.gpumarket.agent.launcher.Inspection;
import io.gpumarket.agent.launcher.LaunchException;
import io.gpumarket.agent.launcher.Launcher;
import io.gpumarket.api.ActualStatus;
import io.gpumarket.api.agent.DesiredInstance;
import io.gpumarket.api.agent.InstanceReport;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one instance toward what the server wants. All work for the instance runs on its own serial executor,
 * so transitions never interleave; any failure becomes the instance's state ({@code exited} + message), never an
 * exception escaping into the agent.
 */
final class InstanceRunner {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceRunner.class);
    /** How often moving traffic counters are sent on their own: each send is a sample row on the server. */
    private static final Duration TRAFFIC_EVERY = Duration.ofSeconds(30);

    private final long id;
    private final Launcher launcher;
    private final Door door;
    private final ReportBuffer reports;
    private final Duration stopGrace;
    private final Clock clock;
    private final ExecutorService serial = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("instance-", 0).factory());

    // Touched only on the serial executor.
    private DesiredInstance applied;
    /** Written only on the serial executor; volatile for the metrics, which read it from elsewhere. */
    private volatile ActualStatus actual = ActualStatus.LOADING;

    private String message = "";
    private long startedAt;
    /** With an exit at start: whether the host failed to start it (true) or its own process exited (false). */
    private Boolean hostFault;

    private long reboots;
    private long recycles;
    private List<String> keys = List.of();
    private boolean doorOpen;
    /** The door is open for vastai's copy only (the instance is stopped or exited; {@link Door#openFilesOnly}). */
    private boolean filesDoorOpen;
    /** What the status message adds about the door: ports that could not be published, or why it is not open. */
    private String doorNote;
    /** The preemption notice last written inside the instance (null: none there). */
    private String notice;

    private double lastCpuSeconds = -1;
    private long lastCpuAtNanos;
    private double cpuUtil;
    private double diskGb;
    /** The run's traffic counters as last read (null: not measured), and when they were last sent. */
    private Long rxBytes;

    private Long txBytes;
    private long trafficSentNanos;
    /** An incoming copy's last line ({@link #note}), shown instead of the run's own message until the next change. */
    private String copyNote;

    private Long sentRx;
    private Long sentTx;

    InstanceRunner(long id, Launcher launcher, Door door, ReportBuffer reports, Duration stopGrace, Clock clock) {
        this.id = id;
        this.launcher = launcher;
        this.door = door;
        this.reports = reports;
        this.stopGrace = stopGrace;
        this.clock = clock;
    }

    /** @param recovering the first desired state after an agent start: re-attach instead of restarting */
    void update(DesiredInstance desired, boolean recovering) {
        serial.execute(() -> guarded(() -> apply(desired, recovering)));
    }

    /** Shows {@code line} as the running instance's status_msg (an incoming copy's progress) and reports it. */
    void note(String line) {
        serial.execute(() -> guarded(() -> {
            // a copy reaches a stopped instance's files too (Launcher.execFiles): its progress shows there as well
            if (actual != ActualStatus.RUNNING && actual != ActualStatus.STOPPED && actual != ActualStatus.EXITED)
                return;
            copyNote = line;
            message = line == null ? "" : line;
            report();
        }));
    }

    /** Looks at the instance (exit, disk, CPU) and reports what changed. */
    void poll() {
        serial.execute(() -> guarded(this::inspect));
    }

    /** Tears the instance down for good, then tells the server it is gone. */
    void destroy(Runnable whenDone) {
        serial.execute(() -> {
            guarded(() -> {
                closeDoor();
                launcher.destroy(id);
            });
            reports.removed(id);
            whenDone.run();
            serial.shutdown();
        });
    }

    /** Agent shutdown: the instance keeps running; only this runner stops. */
    void detach() {
        serial.shutdownNow();
    }

    private void apply(DesiredInstance d, boolean recovering) {
        boolean first = applied == null;
        DesiredInstance before = applied;
        // An exited instance stays exited until the server asks again (a new revision), as on Vast.
        boolean changed = first || before.revision() != d.revision();
        applied = d;
        if (first) recycles = d.recycleCount();
        if (!first && d.recycleCount() > recycles) {
            // recycle: the container goes and comes back from a fresh pull, whatever state it was in; the contract
            // (GPUs, ports, files outside the container's own layer are the launcher's to keep or not) stays
            recycles = d.recycleCount();
            reboots = d.rebootCount();
            recycle(d);
            if (!"running".equals(d.intendedStatus())) {
                stopProcess();
                set(ActualStatus.STOPPED, "recycled; stopped on request", 0);
            }
            if (actual != ActualStatus.RUNNING) openFilesDoor(d);
            report();
            return;
        }
        if (first && recovering && "running".equals(d.intendedStatus()) && launcher.recover(Specs.of(d))) {
            reboots = d.rebootCount();
            Inspection now = launcher.inspect(id);
            set(ActualStatus.RUNNING, now.message(), now.startedAt());
            openDoor(d);
        } else if ("running".equals(d.intendedStatus())) {
            if (changed && actual != ActualStatus.RUNNING || first) {
                reboots = d.rebootCount();
                start(d, ActualStatus.LOADING, "starting");
            } else if (d.rebootCount() > reboots) {
                reboots = d.rebootCount();
                set(ActualStatus.REBOOTING, "restarting on request", 0);
                stopProcess();
                start(d, ActualStatus.REBOOTING, "restarting");
            } else if (!d.sshKeys().equals(keys) && doorOpen) {
                keys = d.sshKeys();
                door.updateKeys(id, keys);
            }
            if (actual == ActualStatus.RUNNING && !java.util.Objects.equals(notice, d.preemptNotice()))
                deliverNotice(d.preemptNotice());
        } else if (actual != ActualStatus.STOPPED || first) {
            stopProcess();
            set(ActualStatus.STOPPED, "stopped on request; files kept", 0);
            openFilesDoor(d);
        } else if (filesDoorOpen && !d.sshKeys().equals(keys)) {
            keys = d.sshKeys();
            door.updateKeys(id, keys);
        }
        if (changed) report();
    }

    /** Destroys the instance on the host and creates it again from a freshly pulled image ({@link Launcher#recycle}). */
    private void recycle(DesiredInstance d) {
        set(ActualStatus.RECYCLING, "recycling on request", 0);
        report();
        closeDoor();
        try {
            launcher.recycle(Specs.of(d), progress -> {
                set(ActualStatus.RECYCLING, progress, 0);
                report();
            });
            settle(d);
        } catch (LaunchException e) {
            set(ActualStatus.EXITED, e.getMessage(), 0);
            hostFault = e.hostFault();
        }
    }

    /** After a start or a recycle: running (its door opened) or exited, as the launcher sees it now. */
    private void settle(DesiredInstance d) {
        Inspection now = launcher.inspect(id);
        if (now.state() == Inspection.State.RUNNING) {
            set(
                    ActualStatus.RUNNING,
                    now.message(),
                    now.startedAt() > 0 ? now.startedAt() : clock.instant().getEpochSecond());
            openDoor(d);
        } else {
            set(ActualStatus.EXITED, now.message() == null ? "exited right after start" : now.message(), 0);
            hostFault = false;
            openFilesDoor(d);
        }
    }

    private void start(DesiredInstance d, ActualStatus phase, String what) {
        set(phase, what + " (" + launcher.kind() + " launcher)", 0);
        report();
        try {
            launcher.start(Specs.of(d), progress -> {
                set(phase, progress, 0);
                report();
            });
            settle(d);
        } catch (LaunchException e) {
            set(ActualStatus.EXITED, e.getMessage(), 0);
            hostFault = e.hostFault();
            openFilesDoor(d);
        }
        report();
    }

    /**
     * Writes (or, null, removes) the preemption notice inside the running instance ({@link DesiredInstance#NOTICE_FILE}),
     * where a job can poll for it and checkpoint before it is stopped. A failure is logged: the notice is also in the
     * instance's status_msg, and the stop comes either way.
     */
    private void deliverNotice(String text) {
        String file = DesiredInstance.NOTICE_FILE;
        List<String> command = text == null
                ? List.of("rm", "-f", file)
                : List.of("sh", "-c", "mkdir -p \"$(dirname " + file + ")\" && cat > " + file);
        try {
            Process p = launcher.exec(id, command, java.util.Map.of(), false);
            try (var in = p.getOutputStream()) {
                if (text != null) in.write((text + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
            notice = text;
        } catch (LaunchException | IOException e) {
            LOG.warn("instance {}: could not write the preemption notice: {}", id, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void openDoor(DesiredInstance d) {
        keys = d.sshKeys();
        try {
            List<String> unpublished = door.open(id, d.sshPort(), d.ports(), keys);
            doorOpen = true;
            filesDoorOpen = false; // the listener was reopened for every session
            doorNote = unpublished.isEmpty() ? null : "ports not published: " + String.join(", ", unpublished);
        } catch (IOException e) {
            // e.g. the port still held by something else after an agent restart: polls try again until it is free
            doorNote = "SSH port " + d.sshPort() + " could not be opened (" + e.getMessage() + "); retrying";
        }
        if (doorNote != null) message = message + "; " + doorNote;
    }

    private void stopProcess() {
        closeDoor();
        flushTraffic();
        launcher.stop(id, stopGrace);
    }

    /**
     * Sends the run's last counters before it ends (after it, its network is gone and cannot be read). It reads them
     * afresh rather than trusting the last poll: a run shorter than the poll interval has had none.
     */
    private void flushTraffic() {
        if (actual != ActualStatus.RUNNING) return;
        Inspection last = launcher.inspect(id);
        if (last.state() != Inspection.State.RUNNING || last.rxBytes() == null) return;
        rxBytes = last.rxBytes();
        txBytes = last.txBytes();
        if (!rxBytes.equals(sentRx) || !txBytes.equals(sentTx)) report();
    }

    private void closeDoor() {
        if (doorOpen || filesDoorOpen) door.close(id);
        doorOpen = false;
        filesDoorOpen = false;
        doorNote = null;
    }

    /**
     * While the instance is stopped or exited its door stays open for vastai's copy only (Vast copies from and to
     * stopped instances): {@code vastai_kaalia} with the renter's keys or a copy ticket, over the files at rest. A
     * failure (the port held by something else) is tried again at the next poll.
     */
    private void openFilesDoor(DesiredInstance d) {
        if (d == null || d.sshPort() <= 0 || doorOpen) return;
        keys = d.sshKeys();
        try {
            door.openFilesOnly(id, d.sshPort(), keys);
            filesDoorOpen = true;
        } catch (IOException e) {
            LOG.info("instance {}: its door for copies while stopped is not open: {}", id, e.getMessage());
        }
    }

    private void inspect() {
        if (applied == null) return;
        Inspection now = launcher.inspect(id);
        boolean changed = false;
        if (actual == ActualStatus.RUNNING && now.state() == Inspection.State.EXITED) {
            closeDoor();
            set(ActualStatus.EXITED, now.message() != null ? now.message() : "exited with code " + now.exitCode(), 0);
            openFilesDoor(applied);
            changed = true;
        }
        if ((actual == ActualStatus.STOPPED || actual == ActualStatus.EXITED) && !filesDoorOpen) openFilesDoor(applied);
        double disk = now.diskBytes() / 1e9;
        if (Math.abs(disk - diskGb) > 0.01) {
            diskGb = disk;
            changed = true;
        }
        long t = System.nanoTime();
        if (lastCpuSeconds >= 0 && t > lastCpuAtNanos) {
            double util = Math.max(0, (now.cpuSeconds() - lastCpuSeconds) / ((t - lastCpuAtNanos) / 1e9));
            if (Math.abs(util - cpuUtil) > 0.05) changed = true;
            cpuUtil = util;
        }
        lastCpuSeconds = now.cpuSeconds();
        lastCpuAtNanos = t;
        if (actual == ActualStatus.RUNNING && !doorOpen && now.state() == Inspection.State.RUNNING) {
            openDoor(applied);
            changed |= doorOpen;
        }
        String shown = copyNote != null
                ? copyNote
                : now.message() == null ? null : now.message() + (doorNote == null ? "" : "; " + doorNote);
        if (actual == ActualStatus.RUNNING && shown != null && !shown.equals(message)) {
            message = shown;
            changed = true;
        }
        if (now.state() == Inspection.State.RUNNING) {
            rxBytes = now.rxBytes();
            txBytes = now.txBytes();
            // counters move with every packet: sent with any other news, else at most every TRAFFIC_EVERY
            boolean moved = !java.util.Objects.equals(rxBytes, sentRx) || !java.util.Objects.equals(txBytes, sentTx);
            if (moved && t - trafficSentNanos >= TRAFFIC_EVERY.toNanos()) changed = true;
        }
        if (changed) report();
    }

    private void set(ActualStatus status, String msg, long started) {
        copyNote = null; // a start, stop or exit says what the instance does now
        actual = status;
        message = msg == null ? "" : msg;
        startedAt = started;
        hostFault = null;
    }

    private void report() {
        // counters belong to the current run: only a running instance's report carries them
        boolean running = actual == ActualStatus.RUNNING && startedAt > 0;
        Long rx = running ? rxBytes : null;
        Long tx = running ? txBytes : null;
        if (running) {
            sentRx = rx;
            sentTx = tx;
            trafficSentNanos = System.nanoTime();
        } else {
            rxBytes = txBytes = sentRx = sentTx = null;
        }
        reports.report(new InstanceReport(
                id,
                actual,
                message,
                doorOpen ? applied.sshPort() : 0,
                diskGb,
                cpuUtil,
                startedAt,
                applied == null ? 0 : applied.revision(),
                rx,
                tx,
                hostFault));
    }

    private void guarded(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.warn("instance {}: {}", id, e.toString(), e);
            set(ActualStatus.EXITED, "agent error: " + e.getMessage(), 0);
            hostFault = true;
            report();
        }
    }

    boolean awaitIdle(Duration timeout) throws InterruptedException {
        return serial.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The state this runner last set (and reported, or is about to). */
    ActualStatus status() {
        return actual;
    }
}
