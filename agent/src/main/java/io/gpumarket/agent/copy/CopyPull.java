package io.gpumarket.agent.copy;

import io.gpumarket.agent.launcher.InstanceSpec;
import io.gpumarket.agent.launcher.LaunchException;
import io.gpumarket.agent.launcher.Launcher;
import io.gpumarket.api.agent.CopyTask;
import io.gpumarket.api.agent.DesiredInstance;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance-to-instance copy on the destination's side (docs/copy.md): this agent connects to the source
 * instance's SSH door as {@code vastai_kaalia} with the copy's one-time ticket, asks for rsync's daemon there
 * ({@code rsync --server --daemon .}, served read only inside the source instance), and runs the rsync client
 * <em>inside the destination instance</em>, whose remote shell is this agent: the client's protocol goes out on
 * the exec session's stdout and comes back on its stdin (descriptors 4 and 3 inside, relayed by the launcher's {@link Launcher#relayCommand}). So
 * each side's files are touched only by an rsync inside its own instance, and neither agent reads a renter's files.
 *
 * <p>Resumable: a broken attempt is retried with back-off, rsync keeps partial files ({@code --partial}) and skips
 * what already arrived; checksummed: rsync checks every file it moves against the sender's whole-file checksum and
 * sends it again on a mismatch. Progress ({@code --info=progress2}) is reported every two seconds.
 */
public final class CopyPull implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(CopyPull.class);
    private static final int ATTEMPTS = 6;
    private static final Duration CONNECT = Duration.ofSeconds(15);
    private static final long REPORT_EVERY_NANOS = Duration.ofSeconds(2).toNanos();
    /** rsync's own limit on a silent peer: an attempt that moves nothing for this long ends and is retried. */
    static final int IO_TIMEOUT_S = 60;

    private static final Pattern PROGRESS = Pattern.compile("^\\s*([\\d,]+)\\s+(\\d{1,3})%");

    /** Where the pull's progress and end go: the server's copy record and the destination's status_msg. */
    public interface Progress {
        void report(long copyId, String state, String message);

        /**
         * The pull's end (done, failed); whether the server heard it. Said again until heard: a lost progress line is
         * made good by the next, but nothing follows an end, and the server waits for it.
         */
        default boolean reportEnd(long copyId, String state, String message) {
            report(copyId, state, message);
            return true;
        }

        void note(long instanceId, String line);
    }

    private final Launcher launcher;
    private final long instanceId;
    /** The destination instance as the server lists it, to make its files when it never ran here (null: never). */
    private final InstanceSpec spec;

    private final CopyTask task;
    private final Progress progress;
    private volatile boolean canceled;
    /** Stopped because this agent stops, not canceled: nothing is said (the copy resumes when the agent is back). */
    private volatile boolean quiet;

    private volatile Process process;

    public CopyPull(Launcher launcher, long instanceId, CopyTask task, Progress progress) {
        this(launcher, instanceId, null, task, progress);
    }

    /**
     * A pull into {@code spec}'s instance, whose files are made first when this host has none ({@link
     * Launcher#prepare}): the destination of a move (docs/migrate.md) is listed stopped and never ran here.
     */
    public CopyPull(Launcher launcher, InstanceSpec spec, CopyTask task, Progress progress) {
        this(launcher, spec.id(), spec, task, progress);
    }

    private CopyPull(Launcher launcher, long instanceId, InstanceSpec spec, CopyTask task, Progress progress) {
        this.launcher = launcher;
        this.instanceId = instanceId;
        this.spec = spec;
        this.task = task;
        this.progress = progress;
    }

    /**
     * Stops the copy because the server no longer lists it (canceled, or an end of its instances): rsync inside the
     * destination is ended (its partial file is kept, {@code --partial}) and the destination's status_msg says
     * {@code copy from C.N canceled}.
     */
    public void cancel() {
        canceled = true;
        end();
    }

    /** Stops the copy because this agent stops; the server still lists it and the next agent resumes it. */
    public void stop() {
        quiet = true;
        canceled = true;
        end();
    }

    private void end() {
        Process p = process;
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
    }

    @Override
    public void run() {
        String from = "copy from C." + task.peer();
        // A pull that ended by itself says so; a cancel arriving after that (the server stops listing a copy once it
        // heard of its end, and that answer can be applied before this thread gets here) must not overwrite
        // "finished" with "canceled" (CopyDirectTest saw exactly that, about one run in three on PostgreSQL).
        if (!attempts(from) && canceled && !quiet) progress.note(instanceId, from + " canceled");
    }

    /** Whether the pull ended by itself (finished, or failed for good) and said so. */
    private boolean attempts(String from) {
        String last = "not started";
        long pause = 1000;
        progress.note(instanceId, from + ": connecting");
        for (int attempt = 1; attempt <= ATTEMPTS && !canceled; attempt++) {
            try {
                int code = once(from);
                if (canceled) return false;
                if (code == 0) {
                    String done = from + " finished";
                    progress.note(instanceId, done);
                    tellEnd("done", done);
                    return true;
                }
                last = "rsync exited with code " + code + (lastLine.isEmpty() ? "" : ": " + lastLine);
            } catch (IOException | LaunchException e) {
                last = e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (canceled) return false;
            LOG.info("copy {} into instance {}: attempt {} failed: {}", task.id(), instanceId, attempt, last);
            String retry = from + ": retrying (" + last + ")";
            progress.note(instanceId, retry);
            progress.report(task.id(), "active", retry);
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            pause = Math.min(pause * 2, 15_000);
        }
        if (canceled) return false;
        String failed = from + " failed: " + last;
        progress.note(instanceId, failed);
        tellEnd("failed", failed);
        return true;
    }

    /**
     * Says the pull's end until the server hears it, or stops listing the pull (a cancel), or this agent stops (the
     * next one resumes the pull, which ends at once and says so). A server down just as the pull ends — killed and
     * restarted, or unreachable — still lists the pull when it is back and waits for its end: without this the end was
     * lost and a move stayed copying until given up for silence (MigrateServerKillTest).
     */
    private void tellEnd(String state, String message) {
        long pause = 1000;
        while (!progress.reportEnd(task.id(), state, message) && !canceled) {
            LOG.info(
                    "copy {} into instance {}: its end not heard; saying it again in {} ms",
                    task.id(),
                    instanceId,
                    pause);
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            pause = Math.min(pause * 2, 15_000);
        }
    }

    private volatile String lastLine = "";

    /** One attempt; rsync's exit code. */
    private int once(String from) throws IOException, LaunchException, InterruptedException {
        try (SshClient client = SshClient.setUpDefaultClient()) {
            // The source is identified by the address the server gave; the ticket, not the host key, is what both
            // sides rely on (docs/copy.md says what that leaves open).
            client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
            client.start();
            try (ClientSession session = client.connect("vastai_kaalia", task.peerAddr(), task.peerPort())
                    .verify(CONNECT)
                    .getSession()) {
                session.addPasswordIdentity(task.ticket());
                session.auth().verify(CONNECT);
                // here, not in the instance's runner: the pull must not reach for files the runner has yet to make
                if (canceled) throw new IOException("canceled"); // the instance may be on its way out here
                if (spec != null) launcher.prepare(spec);
                Process p = launcher.execFiles(instanceId, List.of("sh", "-c", script()), Map.of());
                process = p;
                if (canceled) p.destroy();
                try (ChannelExec channel = session.createExecChannel("rsync --server --daemon .")) {
                    channel.setErr(OutputStream.nullOutputStream());
                    channel.open().verify(CONNECT);
                    // Both directions pumped by threads of our own from the channel's inverted streams, never on
                    // the SSH client's I/O thread: a write into the instance blocked on a full pipe there would stop
                    // the window adjustments the other direction needs, and the copy would stall.
                    Thread up = Thread.ofVirtual().start(() -> pump(p.getInputStream(), channel.getInvertedIn()));
                    Thread down = Thread.ofVirtual().start(() -> pump(channel.getInvertedOut(), p.getOutputStream()));
                    Thread errors = Thread.ofVirtual().start(() -> readProgress(p.getErrorStream(), from));
                    int code = p.waitFor();
                    errors.join(5000);
                    channel.close(false);
                    up.join(5000);
                    down.interrupt();
                    return code;
                }
            }
        }
    }

    /** Copies until either end is done, then closes the writing end (its reader sees EOF). */
    private static void pump(InputStream from, OutputStream to) {
        byte[] buf = new byte[32 * 1024];
        try (from;
                to) {
            int n;
            while ((n = from.read(buf)) >= 0) {
                to.write(buf, 0, n);
                to.flush();
            }
        } catch (IOException e) {
            // the process or the channel ended
        }
    }

    /** rsync's messages; progress lines (ended by CR) reported at most every two seconds. */
    private void readProgress(InputStream err, String from) {
        StringBuilder line = new StringBuilder();
        long lastReport = System.nanoTime();
        byte[] buf = new byte[8192];
        try (err) {
            int n;
            while ((n = err.read(buf)) >= 0) {
                for (int i = 0; i < n; i++) {
                    char c = (char) (buf[i] & 0xff);
                    if (c != '\r' && c != '\n') {
                        if (line.length() < 400) line.append(c);
                        continue;
                    }
                    String text = line.toString().strip();
                    line.setLength(0);
                    if (text.isEmpty()) continue;
                    Matcher m = PROGRESS.matcher(text);
                    if (!m.find()) {
                        lastLine = text;
                        continue;
                    }
                    if (System.nanoTime() - lastReport < REPORT_EVERY_NANOS) continue;
                    lastReport = System.nanoTime();
                    String msg = from + ": " + m.group(2) + "% (" + m.group(1) + " bytes)";
                    progress.note(instanceId, msg);
                    progress.report(task.id(), "active", msg);
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /**
     * What runs inside the destination instance: rsync's client, its remote shell being this agent (descriptor 3
     * in, 4 out), its own output on stderr.
     *
     * <p>The remote shell relays with two copies of {@link Launcher#relayCommand} (a plain read/write copy: busybox's
     * {@code cat} in a container splices into the exec's pipe and starves the engine's reader of it) and must end as {@code ssh} does, when the far side's program
     * has ended: so the relay <em>from</em> the source runs in the foreground and, at its EOF (the source's daemon
     * exited), stops the relay towards the source, which would otherwise wait for an EOF that rsync never sends
     * (rsync keeps its end open until its remote shell has exited). The relay towards the source reads rsync's end
     * through descriptor 5 because a background job's stdin is {@code /dev/null} in a non-interactive shell.
     * {@code --blocking-io} makes rsync hand its remote shell blocking descriptors: with the default non-blocking
     * ones, the relay fails with EAGAIN as soon as rsync is slower than the network, and the copy stalls.
     * {@code --timeout} ends an attempt whose source has gone silent (the attempt is then retried).
     */
    String script() {
        List<String> rsync = launcher.rsyncCommand();
        String program = rsync.stream().map(CopyPull::quote).collect(Collectors.joining(" "));
        String sources = sources().stream().map(CopyPull::quote).collect(Collectors.joining(" "));
        // the relay's words go inside the single-quoted sh -c below: paths and options, never a quote
        String relay = String.join(" ", launcher.relayCommand());
        if (relay.contains("'")) throw new IllegalStateException("a relay command with a quote: " + relay);
        return "exec 3<&0 4>&1 1>&2 </dev/null\n"
                + "exec " + program + " -a --partial --mkpath --no-inc-recursive --info=progress2 --blocking-io"
                + (isWhole(task.srcPath()) ? WHOLE_INSTANCE_FLAGS : "")
                + (isWhole(task.srcPath()) && !byOwnPaths() ? WHOLE_ROOT_FLAGS : "")
                + (volumeSources().isEmpty() ? "" : VOLUME_FLAGS)
                + " --timeout=" + IO_TIMEOUT_S + " -e "
                + quote("sh -c 'exec 5<&0; " + relay + " <&5 >&4 & c=$!; exec 5<&-; " + relay
                        + " <&3; kill $c 2>/dev/null'")
                + " "
                + sources + " " + quote(destination()) + "\n";
    }

    /**
     * What is pulled: the source path in the source's module; for the whole instance ({@code /}, a move's copy)
     * only the paths that are an instance's own ({@link Launcher#ownPaths}) where its launcher's instances see more
     * than their own files (the process launcher binds the host's {@code /usr} and {@code /etc} read only: writing
     * those would fail, and they are not the instance's to move). Each named without a trailing slash, so it arrives
     * under its own name in the destination directory.
     */
    List<String> sources() {
        String module = "vastai_kaalia@peer::" + task.peer();
        List<String> out = new java.util.ArrayList<>();
        if (!byOwnPaths()) out.add(module + "/" + task.srcPath());
        else launcher.ownPaths().stream().map(p -> module + p).forEach(out::add);
        volumeSources().stream().map(p -> module + p).forEach(out::add);
        return out;
    }

    /**
     * The mount paths of a moving instance's volumes (docs/migrate.md) that the pull names besides its own paths:
     * those not already inside one of them, since both ends bind each volume at its mount path (the source's files at
     * rest as its last start had them, the destination's as {@link Launcher#prepare} made them) and what is pulled
     * through a mount path lands in the destination's storage of that volume. A container's whole root is pulled
     * without its mount points ({@code -xx}), so there every mount path is named.
     */
    List<String> volumeSources() {
        if (spec == null || !isWhole(task.srcPath()) || spec.volumes() == null) return List.of();
        List<String> own = byOwnPaths() ? launcher.ownPaths() : List.of();
        List<String> out = new java.util.ArrayList<>();
        for (var v : spec.volumes()) {
            String path = v.mountPath();
            if (path == null || !path.startsWith("/") || isWhole(path)) continue;
            boolean inside = own.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"));
            if (!inside && !out.contains(path)) out.add(path);
        }
        return out;
    }

    /** Where the sources land: for own paths the destination as a directory (each arrives under its name in it). */
    String destination() {
        if (!byOwnPaths()) return task.dstPath();
        String dst = task.dstPath() == null || task.dstPath().isEmpty() ? "/" : task.dstPath();
        return dst.endsWith("/") ? dst : dst + "/";
    }

    /**
     * For a whole instance (a move): its hard links kept as links ({@code -H}), and owners by number, not by name
     * ({@code --numeric-ids}: the two ends' {@code /etc/passwd} need not agree, a container's least of all); the
     * notice file left behind ({@link DesiredInstance#NOTICE_FILE}: a running instance moved is told it will stop on
     * its old machine, which the moved one must not read again where it runs on).
     */
    private static final String WHOLE_INSTANCE_FLAGS = " -H --numeric-ids --exclude=" + DesiredInstance.NOTICE_FILE;

    /**
     * For a whole root file system (a container's): only that file system, mount points and all below them left
     * out ({@code -xx}) — at rest the source's view has a fresh {@code /proc} and {@code /dev} and the agent's tools
     * at {@code /.gpumarket} mounted over it, none of them the instance's, none writable on the destination.
     */
    private static final String WHOLE_ROOT_FLAGS = " -xx";

    /**
     * With volumes' mount paths among the sources: each arrives at its full path ({@code -R}, as {@code /data/vol},
     * not {@code /vol}), and the directories above it, which are the destination's view and not the instance's
     * ({@code /data} bound from the host, or the container's), are left as they are ({@code --no-implied-dirs}).
     */
    private static final String VOLUME_FLAGS = " -R --no-implied-dirs";

    /** Whether this pull names the instance's own paths: a whole instance whose launcher's view is more than them. */
    private boolean byOwnPaths() {
        return isWhole(task.srcPath()) && !launcher.ownPaths().equals(List.of("/"));
    }

    private static boolean isWhole(String path) {
        return path == null || path.isEmpty() || path.chars().allMatch(c -> c == '/');
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
