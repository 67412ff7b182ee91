package io.gpumarket.core.machine;

import io.gpumarket.core.instance.Liveness;
import java.time.Duration;

/**
 * How long an idle agent's long poll is held, as the fleet grows: the server's answer to "10,000 hosts heartbeating".
 * Every agent holds one long poll open and asks again as soon as it is answered, so a fleet of {@code n} agents costs
 * {@code n / hold} syncs a second. Like Nomad's {@code max_heartbeats_per_second}, the server lengthens the hold it
 * announces once the fleet would exceed its budget of syncs a second, and shortens it again as the fleet shrinks.
 *
 * <p>The hold never goes below what agents have always asked for (6/10 of the heartbeat: 6 s by default) and never
 * beyond half the unknown threshold (15 s by default), so the liveness and billing rules are unchanged: an agent is
 * heard at least once per hold, well inside the threshold after which its machine counts as silent, with the other
 * half of the threshold left for a slow answer and for the deferred write of its contacts (docs/reliability.md).
 *
 * @param baseHold       the hold of a small fleet
 * @param maxHold        the longest hold announced or granted
 * @param syncsPerSecond the budget; 0 holds every fleet for {@code baseHold}
 */
public record SyncPacing(Duration baseHold, Duration maxHold, int syncsPerSecond) {
    public SyncPacing {
        if (baseHold.compareTo(Duration.ofSeconds(1)) < 0)
            throw new IllegalArgumentException("the base hold must be at least 1 s, got " + baseHold);
        if (maxHold.compareTo(baseHold) < 0)
            throw new IllegalArgumentException("the longest hold must not be shorter than the base one");
        if (syncsPerSecond < 0) throw new IllegalArgumentException("syncs per second must be >= 0");
    }

    /** The pacing the liveness rules allow: base 6/10 of the heartbeat, at most half the unknown threshold. */
    public static SyncPacing of(Liveness liveness, int syncsPerSecond) {
        Duration base = Duration.ofSeconds(Math.max(1, liveness.heartbeat().toSeconds() * 6 / 10));
        Duration half = liveness.unknownAfter().dividedBy(2);
        return new SyncPacing(base, half.compareTo(base) > 0 ? half : base, syncsPerSecond);
    }

    /** The hold to announce to a fleet of {@code agents} present agents, in whole seconds (the protocol's unit). */
    public Duration hold(int agents) {
        if (syncsPerSecond == 0 || agents <= 0) return baseHold;
        long seconds = Math.ceilDiv((long) agents, syncsPerSecond);
        long clamped = Math.max(baseHold.toSeconds(), Math.min(maxHold.toSeconds(), seconds));
        return Duration.ofSeconds(clamped);
    }
}
