package io.gpumarket.store.jdbc;

import java.time.Instant;
import org.jdbi.v3.core.Handle;

/**
 * Where a billing-relevant time (an instance's creation or destruction, a status change, a machine's contact, a
 * traffic sample) is recorded: at {@code now}, but never at or before the meter's watermark. The meter has already
 * charged up to its watermark from the history it read; a write that computed its {@code now} before a tick but
 * commits after it would otherwise change that history, and its effect would be lost or charged twice. Taking the
 * shared meter lock first makes the watermark read here the one of every tick that committed before this write.
 */
final class MeterFence {
    private MeterFence() {}

    /** Epoch milliseconds to record at; call inside the write's transaction. */
    static long at(Handle h, Dialect dialect, Instant now) {
        return Math.max(now.toEpochMilli(), chargedTo(h, dialect) + 1);
    }

    /**
     * Takes the shared meter lock and answers the watermark: a write of many times records each at
     * {@code max(t, chargedTo + 1)}. Call inside the write's transaction.
     */
    static long chargedTo(Handle h, Dialect dialect) {
        dialect.lockMeter(h, false);
        return h.createQuery("SELECT charged_to FROM meter_state WHERE id = 1")
                .mapTo(Long.class)
                .one();
    }
}
