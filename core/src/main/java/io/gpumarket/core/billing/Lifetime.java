package io.gpumarket.core.billing;

import java.time.Instant;

/**
 * When a contract existed: from its creation until it was destroyed (null while it lives). Storage is charged for
 * every millisecond of it.
 */
public record Lifetime(Instant created, Instant destroyed) {
    /** Milliseconds the contract existed up to {@code t}. */
    public long millisUpTo(Instant t) {
        Instant end = destroyed != null && destroyed.isBefore(t) ? destroyed : t;
        return Math.max(0, end.toEpochMilli() - created.toEpochMilli());
    }

    /** Whether everything it will ever cost is known at {@code t}. */
    public boolean endedBy(Instant t) {
        return destroyed != null && !destroyed.isAfter(t);
    }
}
