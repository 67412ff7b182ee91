package io.gpumarket.agent.launcher.docker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exec sessions the container launcher has open: opened when the engine starts one, closed when it has ended
 * and the engine's helpers for it are gone ({@link ExecProcess}). A count that only grows is a leak, so it is
 * where an operator can see it: {@link #count} (the agent's metrics, once it has them: the operations issue)
 * and a file in the agent's state directory, {@code exec-sessions}, rewritten on every change with one line per
 * open session (instance, session id, since when, program).
 */
final class ExecSessions {
    private static final Logger LOG = LoggerFactory.getLogger(ExecSessions.class);

    record Open(long instanceId, String execId, Instant since, String program) {}

    private final Map<String, Open> open = new ConcurrentHashMap<>();
    private final Path file;

    /** @param file where the open sessions are listed; null for none */
    ExecSessions(Path file) {
        this.file = file;
        write();
    }

    void opened(long instanceId, String execId, String program) {
        open.put(execId, new Open(instanceId, execId, Instant.now(), program));
        write();
    }

    void closed(String execId) {
        if (open.remove(execId) != null) write();
    }

    int count() {
        return open.size();
    }

    private synchronized void write() {
        if (file == null) return;
        StringBuilder text = new StringBuilder(
                "# exec sessions open in containers: " + open.size() + "\n# instance session since program\n");
        open.values().stream()
                .sorted(Comparator.comparing(Open::since))
                .forEach(o -> text.append(o.instanceId())
                        .append(' ')
                        .append(o.execId())
                        .append(' ')
                        .append(o.since())
                        .append(' ')
                        .append(o.program())
                        .append('\n'));
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.debug("could not write {}: {}", file, e.getMessage());
        }
    }
}
