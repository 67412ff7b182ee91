package io.gpumarket.agent.sync;

import io.gpumarket.agent.ServerLink;
import io.gpumarket.agent.launcher.Launcher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a renter's request_logs: the instance's log, filtered and tailed as asked, uploaded once; and execute's
 * commands, run inside the instance ({@link CommandRun}) with their output uploaded the same way.
 */
final class LogShipper implements Consumer<Reconciler.LogJob> {
    private static final Logger LOG = LoggerFactory.getLogger(LogShipper.class);
    private final Launcher launcher;
    private final ServerLink link;

    LogShipper(Launcher launcher, ServerLink link) {
        this.launcher = launcher;
        this.link = link;
    }

    @Override
    public void accept(Reconciler.LogJob job) {
        Thread.ofVirtual().name("logs-" + job.instanceId()).start(() -> {
            try {
                String text = job.request().command() != null
                        ? CommandRun.run(
                                launcher, job.instanceId(), job.request().command())
                        : excerpt(
                                launcher.logs(job.instanceId()),
                                job.request().filter(),
                                job.request().tail());
                link.uploadLog(job.request().token(), text);
            } catch (IOException e) {
                LOG.warn("log upload for instance {} failed: {}", job.instanceId(), e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** The last {@code tail} lines (0: all) containing {@code filter} (null: every line). */
    static String excerpt(byte[] log, String filter, int tail) {
        // Bytes, not readAllLines: a program's output need not be valid UTF-8.
        List<String> lines = new String(log, StandardCharsets.UTF_8)
                .lines()
                .filter(l -> filter == null || filter.isEmpty() || l.contains(filter))
                .toList();
        if (tail > 0 && lines.size() > tail) lines = lines.subList(lines.size() - tail, lines.size());
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }
}
