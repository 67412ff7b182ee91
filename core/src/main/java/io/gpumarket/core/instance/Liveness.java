package io.gpumarket.core.instance;

import java.time.Duration;
import java.time.Instant;

/**
 * What {@code actual_status} shows, given the last word from the machine's agent. The stored value is what the
 * agent last reported; when the agent has gone quiet that value is stale, so it is replaced at read time (never
 * in the store) by {@code unknown} after a few missed heartbeats and by {@code offline} after a longer silence,
 * as Vast describes them ("no recent heartbeat from host", "computed, not stored in DB"). The agent's value is
 * shown again as soon as it syncs.
 *
 * @param heartbeat   how often agents must sync
 * @param missedBeats heartbeats missed in a row before {@code unknown}
 * @param offlineAfter silence after which the machine is {@code offline}
 */
public record Liveness(Duration heartbeat, int missedBeats, Duration offlineAfter) {
    public Liveness {
        if (heartbeat == null || heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("heartbeat must be positive, got " + heartbeat);
        }
        if (missedBeats < 1)
            throw new IllegalArgumentException(
                    "missed heartbeats before unknown must be at least 1, got " + missedBeats);
        if (offlineAfter == null || offlineAfter.compareTo(heartbeat.multipliedBy(missedBeats)) <= 0) {
            throw new IllegalArgumentException("offline threshold (" + offlineAfter + ") must be longer than "
                    + missedBeats + " heartbeats of " + heartbeat);
        }
    }

    /**
     * @param reported    what the agent last reported (null: nothing yet)
     * @param lastContact the agent's last sync, or when the instance was created if its agent never synced since
     */
    public ActualStatus shown(ActualStatus reported, Instant lastContact, Instant now) {
        Duration silence = Duration.between(lastContact, now);
        if (silence.compareTo(offlineAfter) >= 0) return ActualStatus.OFFLINE;
        if (silence.compareTo(heartbeat.multipliedBy(missedBeats)) > 0) return ActualStatus.UNKNOWN;
        return reported;
    }

    /** Silence after which a machine's instances show unknown (and billing stops counting their GPU time). */
    public Duration unknownAfter() {
        return heartbeat.multipliedBy(missedBeats);
    }

    /** Whether an agent last heard from at {@code lastContact} still counts as present (not yet unknown). */
    public boolean present(Instant lastContact, Instant now) {
        return lastContact != null
                && Duration.between(lastContact, now).compareTo(heartbeat.multipliedBy(missedBeats)) <= 0;
    }
}
