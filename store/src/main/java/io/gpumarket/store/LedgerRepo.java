package io.gpumarket.store;

import io.gpumarket.core.account.LedgerEntry;
import java.time.Instant;
import java.util.List;

public interface LedgerRepo {
    /**
     * Appends an entry. With a non-null idempotency key, a second append under the same key for the same user
     * stores nothing and returns the first entry.
     */
    LedgerEntry append(long userId, String kind, long amount, String memo, String idempotencyKey, Instant now);

    /** Sum of the user's entries in micro-dollars (0 for a user with none). */
    long balance(long userId);

    List<LedgerEntry> byUser(long userId);
}
