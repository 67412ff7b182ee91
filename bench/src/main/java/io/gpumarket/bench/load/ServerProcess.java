package io.gpumarket.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The server under load as a separate process, started the way an operator starts it ({@code java -jar
 * gpumarket.jar server --db … --listen …}), so that its CPU time and resident memory are its own in /proc and the load
 * generator's threads, heap and GC do not share its JVM. Its output goes to {@code server.log} in its home.
 */
public final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts the server on a free loopback port and waits until it answers.
     *
     * @param jvmOptions extra JVM options after {@link #jvmOptions}'s (a later {@code -Xmx} wins); none starts it exactly
     *                   as {@code ./gpumarket server} does
     */
    public static ServerProcess start(Path home, String jdbcUrl, List<String> jvmOptions) {
        return start(home, jdbcUrl, jvmOptions, List.of());
    }

    /** As {@link #start(Path, String, List)}, with {@code serverArgs} after the {@code server} command's own. */
    public static ServerProcess start(Path home, String jdbcUrl, List<String> jvmOptions, List<String> serverArgs) {
        Path jar = cliJar();
        int port = freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> argv = new ArrayList<>(List.of(java));
        argv.addAll(jvmOptions(jvmOptions));
        argv.addAll(List.of("-jar", jar.toString(), "server", "--db", jdbcUrl, "--listen", "127.0.0.1:" + port));
        argv.addAll(serverArgs);
        Path log = home.resolve("server.log");
        try {
            ProcessBuilder pb =
                    new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("GPUMARKET_HOME", home.toString());
            ServerProcess server = new ServerProcess(pb.start(), port, log);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "stop-bench-server"));
            server.awaitUp(Duration.ofMinutes(5));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + argv, e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** CPU ticks used so far (user + system, all threads). */
    public long cpuTicks() {
        return ProcStats.cpuTicks(process.pid(), false);
    }

    /** [VmRSS, VmHWM] in KiB. */
    public long[] rssKb() {
        return ProcStats.rssKb(process.pid());
    }

    /**
     * Writes the server's threads to {@code file}: what it was doing when it stalled. {@code Thread.dump_to_file} rather
     * than {@code Thread.print}, because only it lists the virtual threads (the requests) that are not on a carrier.
     */
    public void threadDump(Path file) {
        Path jcmd =
                Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd");
        try {
            Process p = new ProcessBuilder(
                            jcmd.toString(),
                            Long.toString(process.pid()),
                            "Thread.dump_to_file",
                            "-overwrite",
                            "-format=text",
                            file.toAbsolutePath().toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            p.waitFor(60, TimeUnit.SECONDS);
        } catch (IOException e) {
            System.err.println("could not take a thread dump: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() {
        if (!process.isAlive()) return;
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS))
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitUp(Duration limit) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long until = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "the server exited with " + process.exitValue() + " at start; its log: " + tail());
            }
            try {
                HttpResponse<Void> r = http.send(
                        HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v0/gpu_names/unique/"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) return;
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the server", e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the server", e);
            }
        }
        close();
        throw new IllegalStateException("the server did not answer within " + limit + "; its log: " + tail());
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /**
     * The server's JVM options: {@code ./gpumarket server}'s own ({@code -Dgpumarket.serverJvm=…}, which bench/run.sh
     * sets from {@code ./gpumarket server-jvm}, the one place they are written: the heap cap among them), then
     * {@code extra}. Without the property (the tool started by hand) only native access is enabled.
     */
    public static List<String> jvmOptions(List<String> extra) {
        String front = System.getProperty("gpumarket.serverJvm", "--enable-native-access=ALL-UNNAMED")
                .strip();
        List<String> all = new ArrayList<>(front.isEmpty() ? List.of() : List.of(front.split("\\s+")));
        all.addAll(extra);
        return all;
    }

    /** The CLI's runnable jar: {@code -Dgpumarket.jar=…} (bench/run.sh sets it), else app/target under the working directory. */
    private static Path cliJar() {
        Path jar = Path.of(System.getProperty("gpumarket.jar", "app/target/gpumarket.jar"))
                .toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    jar + " is missing: build it (./gpumarket build, or bench/run.sh does) or pass "
                            + "-Dgpumarket.jar=PATH");
        }
        return jar;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free loopback port", e);
        }
    }
}
