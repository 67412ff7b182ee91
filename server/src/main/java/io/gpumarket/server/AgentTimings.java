package io.gpumarket.server;

import io.gpumarket.core.instance.Liveness;
import io.gpumarket.core.machine.SyncPacing;
import java.time.Duration;

/**
 * The clocks of the agent protocol, validated at start.
 *
 * @param heartbeat    how often an agent must sync at the latest; sent in every sync answer, and the longest a
 *                     long-poll sync is held (so a held agent still counts as present)
 * @param missedBeats  heartbeats missed in a row before the machine's instances show {@code unknown}
 * @param offlineAfter silence after which they show {@code offline}
 * @param destroyWait  how long {@code DELETE /instances/{id}/} waits for the agent to report the instance removed
 *                     (its SSH listener gone) before answering anyway; not waited at all when the agent is silent
 * @param syncsPerSecond the idle syncs a second the whole fleet may cost before the server lengthens the hold it
 *                     announces ({@link SyncPacing}); 0 never lengthens it
 */
public record AgentTimings(
        Duration heartbeat, int missedBeats, Duration offlineAfter, Duration destroyWait, int syncsPerSecond) {
    /**
     * 700 idle syncs a second: at ~0.35 ms of server CPU each (docs/benchmarks.md) about a quarter of one core, the
     * rate of 4,200 agents at the base 6 s hold; a larger fleet is held up to 15 s (10,500 agents).
     */
    public static final int DEFAULT_SYNCS_PER_SECOND = 700;

    public AgentTimings {
        if (heartbeat == null
                || heartbeat.compareTo(Duration.ofSeconds(1)) < 0
                || heartbeat.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("agent heartbeat must be between 1 s and 10 min, got " + heartbeat);
        }
        if (destroyWait == null || destroyWait.isNegative() || destroyWait.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("destroy wait must be between 0 and 1 min, got " + destroyWait);
        }
        liveness(heartbeat, missedBeats, offlineAfter);
        if (syncsPerSecond < 0) throw new IllegalArgumentException("syncs per second must be >= 0");
    }

    /** Timings with the default sync budget. */
    public AgentTimings(Duration heartbeat, int missedBeats, Duration offlineAfter, Duration destroyWait) {
        this(heartbeat, missedBeats, offlineAfter, destroyWait, DEFAULT_SYNCS_PER_SECOND);
    }

    /** Heartbeat 10 s, unknown after 3 missed beats, offline after 2 min, DELETE waits up to 3 s. */
    public static AgentTimings defaults() {
        return new AgentTimings(Duration.ofSeconds(10), 3, Duration.ofMinutes(2), Duration.ofSeconds(3));
    }

    /** How long idle syncs are held as the fleet grows. */
    public SyncPacing pacing() {
        return SyncPacing.of(liveness(), syncsPerSecond);
    }

    public Liveness liveness() {
        return liveness(heartbeat, missedBeats, offlineAfter);
    }

    public AgentTimings withDestroyWait(Duration wait) {
        return new AgentTimings(heartbeat, missedBeats, offlineAfter, wait, syncsPerSecond);
    }

    private static Liveness liveness(Duration heartbeat, int missedBeats, Duration offlineAfter) {
        return new Liveness(heartbeat, missedBeats, offlineAfter);
    }
}
