package io.gpumarket.store;

import io.gpumarket.core.account.LedgerEntry;
import java.time.Instant;
import java.util.List;

/** The append-only credit ledger; amounts in micro-dollars. */
public interface LedgerRepo {
    /**
     * Appends an entry. With a non-null idempotency key, a second append under the same key for the same user
     * stores nothing and returns the first entry (even if kind or amount differ), also when the two appends race.
     * Keys are scoped per user: another user's entry under the same key is unrelated.
     */
    LedgerEntry append(long userId, String kind, long amount, String memo, String idempotencyKey, Instant now);

    /** Sum of the user's entries in micro-dollars (0 for a user with none). */
    long balance(long userId);

    /** The user's entries, oldest first. */
    List<LedgerEntry> byUser(long userId);
}
