package io.gpumarket.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A real agent in its own JVM ({@code gpumarket agent}), so tests can kill it with SIGKILL as a crash would and
 * start it again over the same state directory.
 */
public final class AgentProcess implements AutoCloseable {
    private final List<String> argv;
    private final Path log;
    private Process process;

    public AgentProcess(String serverUrl, String token, Path stateDir, String gpus, int portStart, int portEnd) {
        this(serverUrl, token, stateDir, gpus, portStart, portEnd, List.of());
    }

    /** @param extraArgs more {@code gpumarket agent} flags, e.g. {@code --runtime docker --docker-host …} */
    public AgentProcess(
            String serverUrl,
            String token,
            Path stateDir,
            String gpus,
            int portStart,
            int portEnd,
            List<String> extraArgs) {
        this(serverUrl, token, stateDir, gpus, portStart, portEnd, extraArgs, List.of());
    }

    /** @param launcher a command the agent's JVM is started under (its words come first), e.g. to change its mounts */
    public AgentProcess(
            String serverUrl,
            String token,
            Path stateDir,
            String gpus,
            int portStart,
            int portEnd,
            List<String> extraArgs,
            List<String> launcher) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> a = new java.util.ArrayList<>(launcher);
        a.addAll(List.of(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                "io.gpumarket.app.Main",
                "agent",
                "--server",
                serverUrl,
                "--token",
                token,
                "--gpus",
                gpus,
                "--state",
                stateDir.toString(),
                "--ports",
                portStart + "-" + portEnd,
                "--bind",
                "127.0.0.1",
                "--location",
                "Oslo, NO",
                "--disk",
                "800")); // declared: offers must not depend on this disk's free space
        a.addAll(extraArgs);
        this.argv = List.copyOf(a);
        this.log = stateDir.resolveSibling(stateDir.getFileName() + ".log");
    }

    public AgentProcess start() {
        try {
            process = new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: no shutdown hook runs, as when a host crashes or the OOM killer strikes. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /**
     * SIGSTOP: the agent's JVM frozen where it is, as a host that hangs (what it started runs on); it neither reports
     * nor hears its desired state until {@link #resume}.
     */
    public void pause() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** SIGCONT: the frozen agent goes on from where it was. */
    public void resume() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String which) throws IOException, InterruptedException {
        int rc = new ProcessBuilder("kill", which, Long.toString(process.pid()))
                .inheritIO()
                .start()
                .waitFor();
        if (rc != 0) throw new IOException("kill " + which + " " + process.pid() + " exited " + rc);
    }

    public Path log() {
        return log;
    }

    /** Waits up to {@code seconds} for the agent to end by itself; its exit status, empty while it still runs. */
    public java.util.OptionalInt awaitExit(long seconds) throws InterruptedException {
        return process.waitFor(seconds, java.util.concurrent.TimeUnit.SECONDS)
                ? java.util.OptionalInt.of(process.exitValue())
                : java.util.OptionalInt.empty();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) kill();
    }

    /** A free block of {@code count} consecutive ports on 127.0.0.1 (checked by binding each). */
    public static int freePortBlock(int count) {
        if (count > 200) throw new IllegalArgumentException("at most 200 ports, got " + count);
        for (int attempt = 0; attempt < 50; attempt++) {
            // Below Linux's ephemeral range (32768 and up): a port freed by a killed agent must not be taken as the
            // local port of some outgoing connection before the restarted agent binds it again.
            int start = 20000 + (int) (Math.random() * 12000);
            boolean free = true;
            for (int p = start; p < start + count && free; p++) {
                try (var s = new java.net.ServerSocket()) {
                    s.bind(new java.net.InetSocketAddress("127.0.0.1", p));
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) return start;
        }
        throw new IllegalStateException("no free block of " + count + " ports");
    }
}
