package io.gpumarket.core.machine;

import java.time.Instant;
import java.util.List;

/**
 * What the server remembers of a machine's heartbeats: its first and last contact and the outages between them
 * (one per silence longer than the liveness threshold, not one row per heartbeat). An outage still going on is not
 * among {@code outages}; {@link Reliability} derives it from {@code lastSeen}.
 *
 * @param firstSeen null when the agent never synced
 * @param lastSeen  null when the agent never synced
 */
public record HeartbeatHistory(Instant firstSeen, Instant lastSeen, List<Outage> outages) {
    /** The agent was not heard from from {@code from} (last contact plus the liveness threshold) to {@code to}. */
    public record Outage(Instant from, Instant to) {
        public Outage {
            if (to.isBefore(from))
                throw new IllegalArgumentException("an outage cannot end (" + to + ") before it starts (" + from + ")");
        }
    }

    /** A start of an instance on the machine: it reached running ({@code ok}) or exited before it ever ran. */
    public record Start(Instant at, boolean ok) {}

    public HeartbeatHistory {
        outages = List.copyOf(outages);
    }

    public static HeartbeatHistory never() {
        return new HeartbeatHistory(null, null, List.of());
    }
}
