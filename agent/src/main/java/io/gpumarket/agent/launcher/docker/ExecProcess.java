package io.gpumarket.agent.launcher.docker;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command running inside a container through an Engine API exec, seen as a {@link Process} so the SSH front
 * door treats it like any other session: stdin goes down the hijacked connection (closing it half-closes the
 * socket, which the engine passes on as EOF), stdout and stderr come back demultiplexed (with a TTY they are one
 * stream), and the exit status is the exec's {@code ExitCode} once its output has ended.
 *
 * <p>The Engine API cannot signal an exec, so {@link #destroy} signals the exec's process on the host (the agent
 * runs beside the engine, as root) by the pid the engine reports, and closes the connection.
 */
final class ExecProcess extends Process {
    private static final Logger LOG = LoggerFactory.getLogger(ExecProcess.class);
    private static final int PIPE = 64 * 1024;

    private final EngineClient engine;
    private final String execId;
    private final EngineClient.Connection connection;
    private final PipedInputStream stdout = new PipedInputStream(PIPE);
    private final PipedInputStream stderr = new PipedInputStream(PIPE);
    private final OutputStream stdin;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();

    ExecProcess(EngineClient engine, String execId, EngineClient.Connection connection, boolean tty) throws IOException {
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
        Thread.ofVirtual().name("exec-" + execId.substring(0, Math.min(12, execId.length()))).start(() -> {
            try (out; err) {
                if (tty) pump(connection.input(), out);
                else Frames.demux(connection.input(), out, err);
            } catch (IOException e) {
                LOG.debug("exec {}: output ended: {}", execId, e.getMessage());
            } finally {
                connection.close();
                exit.complete(exitCode());
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

    /** The exec's exit code; the engine may take a moment to record it after the output ends. */
    private int exitCode() {
        for (int i = 0; i < 100; i++) {
            try {
                JsonNode s = engine.get("/exec/" + execId + "/json").json();
                if (!s.path("Running").asBoolean(false) && s.hasNonNull("ExitCode")) return s.get("ExitCode").asInt();
                Thread.sleep(50);
            } catch (IOException e) {
                return 255;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 255;
            }
        }
        return 255;
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
        try {
            return engine.get("/exec/" + execId + "/json").json().path("Pid").asLong(0);
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

    /** SIGTERM to the exec's process tree on the host (the hangup sshd gives a session), then the connection goes. */
    @Override
    public void destroy() {
        if (exit.isDone()) return;
        long pid = pid();
        if (pid > 0) {
            ProcessHandle.of(pid).ifPresent(h -> {
                h.descendants().forEach(ProcessHandle::destroy);
                h.destroy();
            });
        }
        connection.close();
    }

    @Override
    public Process destroyForcibly() {
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
