package io.gpumarket.agent.ssh;

import io.gpumarket.agent.launcher.Launcher;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The instance's own {@code /root/.ssh/authorized_keys}, as Vast's in-instance sshd honours it (SkyPilot's onstart
 * writes its key there). It is read <em>inside</em> the instance, through the launcher's exec, as the instance's root
 * sees it: a link in it resolves in the instance's own view, never on the host, and the file of one instance can only
 * ever open that instance's door (each door asks only its own instance). Bounded: at most {@link #MAX_BYTES}, a
 * read that takes longer than {@link #TIMEOUT} (a FIFO, a stopped instance) counts as no file, and an answer is reused
 * for {@link #FRESH} so one login's several key checks cost one read.
 */
final class InstanceKeyFile implements Supplier<String> {
    static final String PATH = "/root/.ssh/authorized_keys";
    static final int MAX_BYTES = 64 * 1024;
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final Duration FRESH = Duration.ofSeconds(2);

    private final Launcher launcher;
    private final long instanceId;
    private final Clock clock;
    private String cached = "";
    private Instant readAt = Instant.MIN;

    InstanceKeyFile(Launcher launcher, long instanceId, Clock clock) {
        this.launcher = launcher;
        this.instanceId = instanceId;
        this.clock = clock;
    }

    @Override
    public synchronized String get() {
        Instant now = clock.instant();
        if (now.isBefore(readAt.plus(FRESH))) return cached;
        cached = read();
        readAt = now;
        return cached;
    }

    private String read() {
        Process p;
        try {
            p = launcher.exec(instanceId, List.of("head", "-c", Integer.toString(MAX_BYTES), PATH), Map.of(), false);
        } catch (Exception e) {
            return ""; // not running, or no such instance here: no keys from its file
        }
        try (ExecutorService reader = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<byte[]> out = reader.submit(() -> {
                try (InputStream in = p.getInputStream()) {
                    return in.readNBytes(MAX_BYTES);
                }
            });
            try {
                byte[] bytes = out.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) && p.exitValue() == 0
                        ? new String(bytes, StandardCharsets.UTF_8)
                        : "";
            } catch (TimeoutException | ExecutionException e) {
                return "";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "";
            } finally {
                p.destroyForcibly();
                out.cancel(true);
            }
        }
    }
}
