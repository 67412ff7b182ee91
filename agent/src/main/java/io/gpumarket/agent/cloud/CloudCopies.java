package io.gpumarket.agent.cloud;

import io.gpumarket.agent.launcher.Launcher;
import io.gpumarket.api.agent.CloudCopyTask;
import io.gpumarket.api.agent.SyncResponse;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The cloud copies this machine runs, kept as the server lists them in each desired state: a copy listed for the
 * first time starts ({@link CloudCopyRun}), one no longer listed (canceled, ended, its instance gone) is stopped.
 * After an agent restart the server lists an unfinished copy again and it runs again; rclone's {@code copy} skips
 * what already arrived unchanged.
 */
public final class CloudCopies implements AutoCloseable {
    private final Launcher launcher;
    private final Progress progress;
    private final Map<Long, CloudCopyRun> runs = new HashMap<>();

    public CloudCopies(Launcher launcher, Progress progress) {
        this.launcher = launcher;
        this.progress = progress;
    }

    /** Where a run's progress and end go: the server, and the instance's status_msg. */
    public interface Progress {
        void report(long copyId, String state, String message);

        void note(long instanceId, String line);
    }

    public synchronized void apply(SyncResponse desired) {
        Set<Long> wanted = new HashSet<>();
        for (CloudCopyTask t : desired.cloudCopies()) {
            wanted.add(t.id());
            runs.computeIfAbsent(t.id(), id -> {
                CloudCopyRun run = new CloudCopyRun(launcher, t, progress);
                // an ended run stays in the map until the server stops listing it, so it is not run again
                Thread.ofVirtual().name("cloud-copy-" + id).start(run);
                return run;
            });
        }
        runs.entrySet().removeIf(e -> {
            if (wanted.contains(e.getKey())) return false;
            e.getValue().cancel();
            return true;
        });
    }

    /** The agent stops: runs stop with it and start again when it is back. */
    @Override
    public synchronized void close() {
        runs.values().forEach(CloudCopyRun::cancel);
        runs.clear();
    }
}
