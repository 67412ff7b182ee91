package io.gpumarket.core.account;

import java.time.Instant;

/**
 * One line of the append-only credit ledger. A balance is the sum of a user's entries; nothing else changes it.
 *
 * @param kind           what moved the money: deposit, charge, transfer, refund, earning
 * @param amount         micro-dollars, positive adds credit
 * @param idempotencyKey a client-chosen key; appending twice under the same key for the same user stores one entry
 */
public record LedgerEntry(
        long id, long userId, String kind, long amount, String memo, String idempotencyKey, Instant createdAt) {}
