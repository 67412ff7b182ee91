package io.gpumarket.agent.launcher.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.agent.launcher.HostTools;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command running inside a container through an Engine API exec, seen as a {@link Process} so the SSH front
 * door treats it like any other session: stdin goes down the hijacked connection (closing it half-closes the
 * socket, which the engine passes on as EOF), stdout and stderr come back demultiplexed (with a TTY they are one
 * stream), and the exit status is the exec's {@code ExitCode} once its output has ended.
 *
 * <p><b>Every session is finished and released.</b> When the output ends, the connection is closed, the exec is
 * inspected until the engine says it has ended (its exit code), and then what the engine keeps for it is let go
 * ({@link EngineHelpers#finishExec}: Podman's per-session conmon would otherwise wait five minutes, and outlive
 * a removed container); only then does the session leave {@link ExecSessions}.
 *
 * <p>The Engine API cannot signal an exec, so {@link #destroy} (the SSH client went away) signals the exec's
 * process on the host (the agent runs beside the engine, as root) by the pid the engine reports: SIGHUP to it
 * and to the processes of its session, as a terminal's hangup under sshd would (what ignores SIGHUP, such as a
 * {@code nohup} job, was put in the background on purpose and lives on), SIGTERM to it, and SIGKILL to it if
 * it is still running {@link #GRACE} later, so the session always ends.
 */
final class ExecProcess extends Process {
    private static final Logger LOG = LoggerFactory.getLogger(ExecProcess.class);
    private static final int PIPE = 64 * 1024;
    /** How long a hung-up session's process has to end before it is killed. */
    static final Duration GRACE = Duration.ofSeconds(2);
    /** How long the engine's helpers of an ended session may take to go. */
    private static final Duration RELEASE = Duration.ofSeconds(15);

    private final EngineClient engine;
    private final String execId;
    private final EngineClient.Connection connection;
    private final PipedInputStream stdout = new PipedInputStream(PIPE);
    private final PipedInputStream stderr = new PipedInputStream(PIPE);
    private final OutputStream stdin;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final AtomicLong hungUpAt = new AtomicLong();
    private volatile long knownPid;

    ExecProcess(
            EngineClient engine, String execId, EngineClient.Connection connection, boolean tty, ExecSessions sessions)
            throws IOException {
        this.engine = engine;
        this.execId = execId;
        this.connection = connection;
        PipedOutputStream out = new PipedOutputStream(stdout);
        PipedOutputStream err = new PipedOutputStream(stderr);
        OutputStream raw = connection.output();
        this.stdin = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                raw.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                raw.write(b, off, len);
            }

            @Override
            public void close() {
                connection.closeOutput();
            }
        };
        Thread.ofVirtual()
                .name("exec-" + execId.substring(0, Math.min(12, execId.length())))
                .start(() -> {
                    try {
                        try (out;
                                err) {
                            if (tty) pump(connection.input(), out);
                            else Frames.demux(connection.input(), out, err);
                        } catch (IOException e) {
                            LOG.debug("exec {}: output ended: {}", execId, e.getMessage());
                        } finally {
                            connection.close();
                            exit.complete(awaitExit());
                        }
                    } finally {
                        try {
                            EngineHelpers.finishExec(execId, RELEASE);
                        } finally {
                            sessions.closed(execId);
                        }
                    }
                });
    }

    private static void pump(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[32 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
            out.flush();
        }
    }

    /**
     * Inspects the exec until the engine says it has ended, and answers its exit code (255 when the engine no
     * longer knows it, e.g. its container was removed). A session that was hung up on and still runs
     * {@link #GRACE} later is killed here.
     */
    private int awaitExit() {
        long pause = 10;
        int failures = 0;
        boolean killed = false;
        while (true) {
            try {
                EngineClient.Response r = engine.get("/exec/" + execId + "/json");
                if (r.status() == 404) return 255;
                if (r.ok()) {
                    JsonNode s = r.json();
                    if (!s.path("Running").asBoolean(false) && s.hasNonNull("ExitCode"))
                        return s.get("ExitCode").asInt();
                    if (s.path("Pid").asLong(0) > 0) knownPid = s.path("Pid").asLong();
                } else if (++failures >= 20) {
                    LOG.warn("exec {}: the engine answers {} to inspecting it: {}", execId, r.status(), r.message());
                    return 255;
                }
            } catch (IOException e) {
                if (++failures >= 20) {
                    LOG.warn("exec {}: the engine cannot be asked how it ended: {}", execId, e.getMessage());
                    return 255;
                }
            }
            long hungUp = hungUpAt.get();
            if (hungUp != 0 && !killed && System.nanoTime() - hungUp > GRACE.toNanos()) {
                killed = true;
                long pid = knownPid;
                if (pid > 0) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 255;
            }
            pause = Math.min(250, pause * 2);
        }
    }

    String execId() {
        return execId;
    }

    @Override
    public OutputStream getOutputStream() {
        return stdin;
    }

    @Override
    public InputStream getInputStream() {
        return stdout;
    }

    @Override
    public InputStream getErrorStream() {
        return stderr;
    }

    @Override
    public int waitFor() throws InterruptedException {
        try {
            return exit.get();
        } catch (ExecutionException e) {
            return 255;
        }
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            exit.get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    @Override
    public int exitValue() {
        if (!exit.isDone()) throw new IllegalThreadStateException("exec " + execId + " is still running");
        return exit.join();
    }

    @Override
    public boolean isAlive() {
        return !exit.isDone();
    }

    /** The exec's pid on the host, when the engine says (0 otherwise). */
    @Override
    public long pid() {
        if (knownPid > 0) return knownPid;
        try {
            long pid =
                    engine.get("/exec/" + execId + "/json").json().path("Pid").asLong(0);
            if (pid > 0) knownPid = pid;
            return pid;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Nothing of it is a child of the agent; {@link #destroy} reaches its process tree itself. */
    @Override
    public Stream<ProcessHandle> descendants() {
        return Stream.empty();
    }

    @Override
    public Stream<ProcessHandle> children() {
        return Stream.empty();
    }

    /**
     * The hangup sshd gives a session whose client went away: SIGHUP to the exec's process and the processes of
     * its session, SIGTERM to the exec's process, and the connection goes; if the process still runs
     * {@link #GRACE} later it is killed (while the session's output thread waits for its end).
     */
    @Override
    public void destroy() {
        if (exit.isDone() || !hungUpAt.compareAndSet(0, System.nanoTime())) return;
        long pid = pid();
        if (pid > 0) ProcessHandle.of(pid).ifPresent(ExecProcess::hangUp);
        connection.close();
    }

    private static void hangUp(ProcessHandle main) {
        long sid = EngineHelpers.session(main.pid()).orElse(-1);
        List<ProcessHandle> group = new ArrayList<>();
        group.add(main);
        main.descendants()
                .filter(d -> EngineHelpers.session(d.pid()).orElse(-2) == sid)
                .forEach(group::add);
        Optional<Path> kill = HostTools.find("kill");
        if (kill.isPresent()) {
            List<String> argv = new ArrayList<>(List.of(kill.get().toString(), "-s", "HUP"));
            group.stream().filter(ProcessHandle::isAlive).forEach(h -> argv.add(Long.toString(h.pid())));
            try {
                Process k = new ProcessBuilder(argv)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
                k.waitFor(5, TimeUnit.SECONDS);
            } catch (IOException e) {
                LOG.debug("could not send SIGHUP to {}: {}", argv, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        main.destroy();
    }

    @Override
    public Process destroyForcibly() {
        hungUpAt.compareAndSet(0, System.nanoTime() - GRACE.toNanos() - 1);
        long pid = pid();
        if (pid > 0) {
            ProcessHandle.of(pid).ifPresent(h -> {
                h.descendants().forEach(ProcessHandle::destroyForcibly);
                h.destroyForcibly();
            });
        }
        connection.close();
        return this;
    }
}
