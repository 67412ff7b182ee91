package io.gpumarket.core.billing;

import java.time.Instant;

/**
 * A stretch during which a machine's agent was not heard from long enough for its instances to show
 * {@code unknown}: from the moment they went unknown until the agent synced again. GPU time is not charged in it.
 * A silence still going on is not stored; the meter derives it from the machine's last contact.
 */
public record Silence(long id, long machineId, Instant from, Instant to) {
    public Silence {
        if (to.isBefore(from))
            throw new IllegalArgumentException("a silence cannot end (" + to + ") before it starts (" + from + ")");
    }
}
