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

    /**
     * Sum of the user's entries in micro-dollars (0 for a user with none), as kept beside the ledger by every
     * append: one row read, however long the ledger.
     */
    long balance(long userId);

    /** The same sum, added up from the entries themselves (for audits and tests; reads the user's whole ledger). */
    long sumOfEntries(long userId);

    /**
     * Holds the balances of these users against concurrent changes until the caller's transaction ends (a transfer
     * checks the sender's balance and appends under it). Use inside {@code Store.inTransaction}.
     */
    void lockBalances(java.util.Collection<Long> userIds);

    /** The user's entries of these kinds created in [from, to], oldest first. */
    List<LedgerEntry> byUser(long userId, java.util.Collection<String> kinds, Instant from, Instant to);

    /** The user's entries, oldest first. */
    List<LedgerEntry> byUser(long userId);
}
