package io.gpumarket.agent.copy;

import io.gpumarket.agent.launcher.Launcher;
import io.gpumarket.agent.sync.Door;
import io.gpumarket.agent.sync.Specs;
import io.gpumarket.api.agent.CopyTask;
import io.gpumarket.api.agent.DesiredInstance;
import io.gpumarket.api.agent.SyncResponse;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The instance-to-instance copies this machine takes part in, kept as the server lists them in each desired state:
 * a serving instance's door lets in the tickets listed for it (and no other), a pull listed for the first time
 * starts ({@link CopyPull}; into an instance that has no files here yet, they are made first: {@link
 * Launcher#prepare}), a pull no longer listed (canceled, its instance gone) is stopped. After an agent
 * restart the server lists the unfinished pulls again and they resume.
 */
public final class CopyJobs implements AutoCloseable {
    private final Launcher launcher;
    private final Door door;
    private final CopyPull.Progress progress;
    private final Map<Long, CopyPull> pulls = new HashMap<>();

    public CopyJobs(Launcher launcher, Door door, CopyPull.Progress progress) {
        this.launcher = launcher;
        this.door = door;
        this.progress = progress;
    }

    public synchronized void apply(SyncResponse desired) {
        Set<Long> wanted = new HashSet<>();
        for (DesiredInstance d : desired.instances()) {
            Set<String> serve = new HashSet<>();
            for (CopyTask t : d.copies()) {
                if (CopyTask.SERVE.equals(t.role())) serve.add(t.ticketHash());
                if (CopyTask.PULL.equals(t.role()) && t.ticket() != null) {
                    wanted.add(t.id());
                    pulls.computeIfAbsent(t.id(), id -> {
                        // a stopped instance that never ran here (a move's destination) gets its files made first
                        CopyPull pull = new CopyPull(launcher, Specs.of(d), t, progress);
                        // an ended pull stays in the map until the server stops listing it, so it is not run again
                        Thread.ofVirtual().name("copy-" + id).start(pull);
                        return pull;
                    });
                }
            }
            // every time: a door (re)opened since the last answer starts with none
            door.updateTickets(d.id(), serve);
        }
        pulls.entrySet().removeIf(e -> {
            if (wanted.contains(e.getKey())) return false;
            e.getValue().cancel();
            return true;
        });
    }

    /** The agent stops: pulls stop with it and resume when it is back. */
    @Override
    public synchronized void close() {
        pulls.values().forEach(CopyPull::stop);
        pulls.clear();
    }
}
