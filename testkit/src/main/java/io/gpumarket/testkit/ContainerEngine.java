package io.gpumarket.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A Docker-compatible engine for the container launcher's tests: the one named by
 * {@code GPUMARKET_TEST_DOCKER_HOST} (CI starts it once), else a {@code podman system service} this JVM starts
 * through {@code .ci/podman-service.sh} (the same set-up CI uses) and stops when it exits. Without Podman the
 * tests are skipped with the reason, unless {@code GPUMARKET_TEST_CONTAINERS=required} (CI), where that fails.
 * The image is the script's local test image: busybox-static plus rsync, no registry needed.
 */
public final class ContainerEngine {
    public static final String IMAGE = "localhost/gpumarket-test:latest";
    private static ContainerEngine shared;
    private static String unavailable;

    private final String dockerHost;

    private ContainerEngine(String dockerHost) {
        this.dockerHost = dockerHost;
    }

    /** The engine, or the test is skipped (failed, where containers are required) with the reason. */
    public static synchronized ContainerEngine require() {
        if (shared == null && unavailable == null) {
            try {
                shared = find();
            } catch (IOException | RuntimeException e) {
                unavailable = e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                unavailable = "interrupted while starting the engine";
            }
        }
        if (shared != null) return shared;
        if ("required".equals(System.getenv("GPUMARKET_TEST_CONTAINERS"))) {
            throw new AssertionError("GPUMARKET_TEST_CONTAINERS=required but no container engine: " + unavailable);
        }
        Assumptions.abort("no container engine for the docker launcher's tests: " + unavailable);
        throw new IllegalStateException("unreachable");
    }

    /** {@code unix:///…} */
    public String dockerHost() {
        return dockerHost;
    }

    public String image() {
        return IMAGE;
    }

    private static ContainerEngine find() throws IOException, InterruptedException {
        String given = System.getenv("GPUMARKET_TEST_DOCKER_HOST");
        if (given != null && !given.isBlank()) return new ContainerEngine(given);
        Path script = script();
        if (!onPath("podman"))
            throw new IOException("podman is not installed (apt-get install podman runc; see .ci/podman-service.sh)");
        Path dir = Files.createTempDirectory("gpumarket-podman");
        Process p = new ProcessBuilder("bash", script.toString(), "start", dir.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0)
            throw new IOException(script + " start failed: " + out.strip());
        List<String> lines = out.strip().lines().toList();
        String host = lines.isEmpty() ? "" : lines.getLast().strip();
        if (!host.startsWith("unix://")) throw new IOException(script + " start printed no socket: " + out.strip());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                new ProcessBuilder("bash", script.toString(), "stop", dir.toString())
                        .start()
                        .waitFor(20, TimeUnit.SECONDS);
                new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor(20, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException ignored) {
                // the JVM is exiting
            }
        }));
        return new ContainerEngine(host);
    }

    /** {@code .ci/podman-service.sh} of this checkout (tests run in a module directory below it). */
    private static Path script() throws IOException {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path s = d.resolve(".ci/podman-service.sh");
            if (Files.isRegularFile(s)) return s;
        }
        throw new IOException(
                ".ci/podman-service.sh not found above " + Path.of("").toAbsolutePath());
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) return true;
        }
        return false;
    }
}
