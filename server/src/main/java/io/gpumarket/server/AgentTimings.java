package io.gpumarket.server;

import io.gpumarket.core.instance.Liveness;
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
 */
public record AgentTimings(Duration heartbeat, int missedBeats, Duration offlineAfter, Duration destroyWait) {
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
    }

    /** Heartbeat 10 s, unknown after 3 missed beats, offline after 2 min, DELETE waits up to 3 s. */
    public static AgentTimings defaults() {
        return new AgentTimings(Duration.ofSeconds(10), 3, Duration.ofMinutes(2), Duration.ofSeconds(3));
    }

    public Liveness liveness() {
        return liveness(heartbeat, missedBeats, offlineAfter);
    }

    public AgentTimings withDestroyWait(Duration wait) {
        return new AgentTimings(heartbeat, missedBeats, offlineAfter, wait);
    }

    private static Liveness liveness(Duration heartbeat, int missedBeats, Duration offlineAfter) {
        return new Liveness(heartbeat, missedBeats, offlineAfter);
    }
}
