package io.gpumarket.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code gpumarket server} in its own JVM, as an operator runs it: its flags, its stdout read for the address and the
 * first start's admin key, its stderr (the log) written to a file the test reads back.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("gpumarket server on (http://\\S+)/api/v0");
    private static final Pattern ADMIN_KEY = Pattern.compile("Admin API key \\(shown once, keep it\\): (\\S+)");

    private final Process process;
    private final Path log;
    private final String url;
    private final String adminKey;

    private ServerProcess(Process process, Path log, String url, String adminKey) {
        this.process = process;
        this.log = log;
        this.url = url;
        this.adminKey = adminKey;
    }

    /**
     * Starts a server with {@code $GPUMARKET_HOME} = {@code home} on a free loopback port and waits (up to two minutes)
     * until it listens.
     */
    public static ServerProcess start(Path home, List<String> flags) {
        return start(home, flags, 0);
    }

    /** As {@link #start(Path, List)}, on loopback port {@code port} (a replica behind a balancer keeps its port). */
    public static ServerProcess start(Path home, List<String> flags, int port) {
        return start(home, flags, port, Duration.ofMinutes(2));
    }

    /**
     * As {@link #start(Path, List, int)}, waiting up to {@code limit} for it to listen: a JVM's start on a machine
     * loaded far beyond its cores (load 28 on 2 cores: 5 s of CPU in 135 s) takes minutes.
     */
    public static ServerProcess start(Path home, List<String> flags, int port, Duration limit) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> argv = new ArrayList<>(List.of(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                "io.gpumarket.app.Main",
                "server",
                "--listen",
                "127.0.0.1:" + port));
        argv.addAll(flags);
        Path log = home.resolve("server.log");
        try {
            ProcessBuilder pb = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().put("GPUMARKET_HOME", home.toString());
            Process p = pb.start();
            CompletableFuture<String[]> started = CompletableFuture.supplyAsync(() -> readBanner(p));
            try {
                String[] banner = started.get(limit.toMillis(), TimeUnit.MILLISECONDS);
                return new ServerProcess(p, log, banner[0], banner[1]);
            } catch (Exception e) {
                threadDump(p, log); // what it was waiting for, beside its log
                p.destroyForcibly();
                throw new IllegalStateException("the server did not start; its log is " + log, e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends the process's threads ({@code jcmd PID Thread.print}) to its log, when it hangs. */
    private static void threadDump(Process p, Path log) {
        if (!p.isAlive()) return;
        Path jcmd =
                Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd");
        try {
            new ProcessBuilder(jcmd.toString(), Long.toString(p.pid()), "Thread.print")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start()
                    .waitFor(60, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no jcmd beside this JVM: the log alone must do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads stdout up to the line naming the address; the admin key comes before it on a first start. */
    private static String[] readBanner(Process p) {
        var out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String key = null;
        try {
            for (String line; (line = out.readLine()) != null; ) {
                Matcher k = ADMIN_KEY.matcher(line);
                if (k.find()) key = k.group(1);
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    // keep draining stdout so the server never blocks on a full pipe
                    Thread.ofVirtual().start(() -> out.lines().forEach(l -> {}));
                    return new String[] {m.group(1), key};
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("the server exited with " + p.exitValue() + " before listening");
    }

    public String url() {
        return url;
    }

    /** The admin key printed at the first start of an empty database (null on a later start). */
    public String adminKey() {
        return adminKey;
    }

    /** The file the server's stderr (its log) goes to. */
    public Path log() {
        return log;
    }

    /** SIGKILL ({@code kill -9}): no shutdown hook, nothing flushed; waits until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, as systemd stops it, and waits for the shutdown hook to finish. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
