package io.gpumarket.store;

/**
 * A ledger entry the meter appends as part of a tick.
 *
 * @param idempotencyKey unique per user: a tick's keys name its interval, so the same interval can never be
 *                       posted twice for a user (the second insert fails and the tick rolls back)
 */
public record Posting(long userId, String kind, long amount, String memo, String idempotencyKey) {}
