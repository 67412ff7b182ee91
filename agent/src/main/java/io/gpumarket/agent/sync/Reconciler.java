package io.gpumarket.agent.sync;

import io.gpumarket.agent.launcher.Launcher;
import io.gpumarket.api.agent.DesiredInstance;
import io.gpumarket.api.agent.LogRequest;
import io.gpumarket.api.agent.SyncResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Diffs the server's desired set against the runners this agent has: new ids get a runner, known ids get the
 * update, ids that disappeared are destroyed. On the first answer after a start, instances with files on this
 * host are recovered (re-attached), and files of instances the server no longer knows are removed; containers of
 * such instances are reported and left running ({@link Launcher#removesUnclaimed}).
 */
public final class Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    private final Launcher launcher;
    private final Door door;
    private final ReportBuffer reports;
    private final Duration stopGrace;
    private final Clock clock;
    private final Consumer<LogJob> logs;
    private final Map<Long, InstanceRunner> runners = new ConcurrentHashMap<>();
    private final Set<String> logTokensSeen = ConcurrentHashMap.newKeySet();
    private long revision;
    private boolean recovered;
    /** Instances left on this host that the server does not list; null until the first recovery pass looked. */
    private java.util.List<Long> orphans;

    /** A log upload to do: the instance and what the renter asked for. */
    public record LogJob(long instanceId, LogRequest request) {}

    Reconciler(
            Launcher launcher,
            Door door,
            ReportBuffer reports,
            Duration stopGrace,
            Clock clock,
            Consumer<LogJob> logs) {
        this.launcher = launcher;
        this.door = door;
        this.reports = reports;
        this.stopGrace = stopGrace;
        this.clock = clock;
        this.logs = logs;
    }

    synchronized long revision() {
        return revision;
    }

    /** What every sync tells the server about orphans (see {@link io.gpumarket.api.agent.SyncRequest#orphans}). */
    synchronized java.util.List<Long> orphans() {
        return orphans;
    }

    private Consumer<SyncResponse> afterApply = d -> {};

    /** What else each desired state is given to, after the runners (the copies: {@code copy/CopyJobs}). */
    synchronized void afterApply(Consumer<SyncResponse> next) {
        afterApply = next;
    }

    /** A line for the instance's status_msg while it runs (an incoming copy's progress). */
    void note(long instanceId, String line) {
        InstanceRunner r = runners.get(instanceId);
        if (r != null) r.note(line);
    }

    /**
     * When (System.nanoTime) an applied answer last listed each instance or left it out. The puller's and the pusher's
     * answers can be applied out of the order the server made them (a long poll's answer read before a report's but
     * applied after it, or two replicas a moment apart): an answer to a sync asked before that time says nothing newer
     * about the instance, and must neither destroy what a newer answer listed nor bring back what it left out.
     */
    private final Map<Long, Long> decidedAt = new java.util.HashMap<>();

    /** An answer to a sync asked just now. */
    synchronized void apply(SyncResponse desired) {
        apply(desired, System.nanoTime());
    }

    /** When (System.nanoTime) the last answer not older than the one before it was applied; 0 before the first. */
    private long appliedAt;

    /**
     * @param askedAt System.nanoTime() when the sync this answers was sent. An answer to a sync sent before the last
     *     answer was applied may be older than that one: its instances are judged one by one ({@link #decidedAt}), and
     *     neither its revision nor what else it carries (copies, cloud copies: {@link #afterApply}) is taken — a copy it
     *     does not list yet would be canceled. The revision kept makes the next long poll answer at once if the
     *     server has moved on.
     */
    synchronized void apply(SyncResponse desired, long askedAt) {
        long now = System.nanoTime();
        boolean older = recovered && askedAt - appliedAt < 0;
        // volumes first: one deleted on the server is mounted by no listed instance (the server refuses that)
        if (desired.volumes() != null) {
            launcher.keepVolumes(desired.volumes().stream()
                    .map(io.gpumarket.api.agent.DesiredVolume::id)
                    .collect(java.util.stream.Collectors.toSet()));
        }
        boolean recovering = !recovered;
        Set<Long> wanted = new HashSet<>();
        for (DesiredInstance d : desired.instances()) {
            // listed by an answer older than the one that left it out: already destroyed here, not to come back
            if (!runners.containsKey(d.id()) && decidedBefore(d.id(), askedAt)) continue;
            wanted.add(d.id());
            decidedAt.put(d.id(), now);
            runners.computeIfAbsent(d.id(), id -> new InstanceRunner(id, launcher, door, reports, stopGrace, clock))
                    .update(d, recovering);
            for (LogRequest r : d.logRequests()) {
                if (logTokensSeen.add(r.token())) logs.accept(new LogJob(d.id(), r));
            }
        }
        for (Map.Entry<Long, InstanceRunner> e : runners.entrySet()) {
            if (!wanted.contains(e.getKey())) {
                long id = e.getKey();
                if (decidedBefore(id, askedAt)) {
                    LOG.info("instance {}: kept, as an answer older than the last that listed it leaves it out", id);
                    wanted.add(id);
                    continue;
                }
                runners.remove(id);
                decidedAt.put(id, now);
                e.getValue().destroy(() -> {});
            }
        }
        // what was decided long ago and runs no more is forgotten (answers are seconds apart, not minutes)
        decidedAt.entrySet().removeIf(e -> !runners.containsKey(e.getKey()) && now - e.getValue() > FORGET_NANOS);
        if (recovering) {
            java.util.List<Long> left = new java.util.ArrayList<>();
            for (long id : launcher.known()) {
                if (wanted.contains(id)) continue;
                if (launcher.removesUnclaimed()) {
                    door.close(id);
                    launcher.destroy(id);
                    reports.removed(id);
                } else {
                    // Not ours to kill unseen: the server may have lost it (a restored database, a wrong --server).
                    LOG.warn(
                            "ORPHAN: instance {} still exists on this host ({} launcher) but the server does not list it for "
                                    + "this machine; left as it is (shown to the host as orphaned), remove it by hand if it is not "
                                    + "wanted",
                            id,
                            launcher.kind());
                    left.add(id);
                }
            }
            orphans = java.util.List.copyOf(left);
            recovered = true;
        } else if (!orphans.isEmpty()) {
            // the host may have removed them by hand since (nothing new becomes an orphan while the agent runs)
            Set<Long> still = launcher.known();
            orphans = orphans.stream()
                    .filter(id -> still.contains(id) && !wanted.contains(id))
                    .toList();
        }
        if (older) return;
        appliedAt = now;
        revision = desired.revision();
        afterApply.accept(desired);
    }

    private static final long FORGET_NANOS = Duration.ofMinutes(10).toNanos();

    /** Whether an applied answer decided about the instance after a sync asked at {@code askedAt} was sent. */
    private boolean decidedBefore(long id, long askedAt) {
        Long decided = decidedAt.get(id);
        return decided != null && askedAt - decided < 0;
    }

    void pollAll() {
        runners.values().forEach(InstanceRunner::poll);
    }

    void detachAll() {
        runners.values().forEach(InstanceRunner::detach);
    }

    /** How many instances are in each state (the wire string), for the agent's metrics. */
    public Map<String, Integer> states() {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        for (InstanceRunner r : runners.values()) counts.merge(r.status().wire(), 1, Integer::sum);
        return counts;
    }
}
