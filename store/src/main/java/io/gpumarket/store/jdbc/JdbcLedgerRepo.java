package io.gpumarket.store.jdbc;

import io.gpumarket.core.account.LedgerEntry;
import io.gpumarket.store.LedgerRepo;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * {@link LedgerRepo} on the append-only {@code ledger} table, with each user's sum kept in
 * {@code account_balances} by the same transaction that appends.
 *
 * <p>Idempotency is decided by the unique index on (user_id, idempotency_key), not by looking first: two
 * concurrent appends under one key both try to insert, the index lets one in, and the other's
 * {@code ON CONFLICT DO NOTHING} stores nothing, after which it reads the winner's entry. Using ON CONFLICT
 * rather than catching the violation matters on PostgreSQL: a failed statement would abort the caller's whole
 * transaction, while a conflict that does nothing leaves it usable.
 */
final class JdbcLedgerRepo implements LedgerRepo {
    private static final RowMapper<LedgerEntry> ENTRY = (rs, ctx) -> new LedgerEntry(
            rs.getLong("id"),
            rs.getLong("user_id"),
            rs.getString("kind"),
            rs.getLong("amount"),
            rs.getString("memo"),
            rs.getString("idempotency_key"),
            Columns.instant(rs, "created_at"));

    /** The kinds the partial index ledger_payments covers, and its WHERE as written in the migration. */
    private static final java.util.Set<String> PAYMENTS = java.util.Set.of("deposit", "transfer", "refund");

    private static final String PAYMENTS_SQL = "kind IN ('deposit', 'transfer', 'refund')";

    private final Session session;

    JdbcLedgerRepo(Session session) {
        this.session = session;
    }

    /**
     * Appends an entry; with an idempotency key this user already used, stores nothing and returns the entry
     * stored under that key (whatever its kind and amount).
     */
    @Override
    public LedgerEntry append(long userId, String kind, long amount, String memo, String idempotencyKey, Instant now) {
        return session.write(h -> {
            Optional<LedgerEntry> inserted = h.createQuery("""
                            INSERT INTO ledger (user_id, kind, amount, memo, idempotency_key, created_at)
                            VALUES (:user, :kind, :amount, :memo, :key, :now)
                            ON CONFLICT (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
                            RETURNING *""")
                    .bind("user", userId)
                    .bind("kind", kind)
                    .bind("amount", amount)
                    .bind("memo", memo)
                    .bind("key", idempotencyKey)
                    .bind("now", now.toEpochMilli())
                    .map(ENTRY)
                    .findOne();
            if (inserted.isPresent()) {
                addToBalance(h, userId, amount);
                return inserted.get();
            }
            return h.createQuery("SELECT * FROM ledger WHERE user_id = :user AND idempotency_key = :key")
                    .bind("user", userId)
                    .bind("key", idempotencyKey)
                    .map(ENTRY)
                    .findOne()
                    .orElseThrow(() -> new IllegalStateException("ledger append for user " + userId + " under key "
                            + idempotencyKey + " conflicted, but no entry has that key"));
        });
    }

    /** The kept sum (account_balances), written in the same transaction as every entry. */
    @Override
    public long balance(long userId) {
        return session.read(h -> h.createQuery("SELECT balance FROM account_balances WHERE user_id = :user")
                .bind("user", userId)
                .mapTo(Long.class)
                .findOne()
                .orElse(0L));
    }

    @Override
    public long sumOfEntries(long userId) {
        return session.read(h -> h.createQuery("SELECT COALESCE(SUM(amount), 0) FROM ledger WHERE user_id = :user")
                .bind("user", userId)
                .mapTo(Long.class)
                .one());
    }

    /**
     * Locks the accounts' balances until the transaction ends, in id order (so two transfers between the same two
     * accounts in opposite directions queue instead of deadlocking). Rows are made first, as a lock needs a row.
     */
    @Override
    public void lockBalances(java.util.Collection<Long> userIds) {
        List<Long> ids = new java.util.ArrayList<>(new java.util.TreeSet<>(userIds));
        session.write(h -> {
            for (long id : ids) {
                h.createUpdate(
                                "INSERT INTO account_balances (user_id, balance) VALUES (:user, 0) ON CONFLICT (user_id) DO NOTHING")
                        .bind("user", id)
                        .execute();
            }
            h.createQuery("SELECT user_id FROM account_balances WHERE user_id IN (<ids>) ORDER BY user_id"
                            + session.dialect().forUpdate())
                    .bindList("ids", ids)
                    .mapTo(Long.class)
                    .list();
            return null;
        });
    }

    @Override
    public List<LedgerEntry> byUser(long userId, java.util.Collection<String> kinds, Instant from, Instant to) {
        if (kinds.isEmpty()) return List.of();
        return session.read(h -> h.createQuery("SELECT * FROM ledger WHERE user_id = :user AND kind IN (<kinds>)"
                        + (PAYMENTS.containsAll(kinds) ? " AND " + PAYMENTS_SQL : "")
                        + " AND created_at >= :from AND created_at <= :to ORDER BY id")
                .bind("user", userId)
                .bindList("kinds", List.copyOf(kinds))
                .bind("from", from.toEpochMilli())
                .bind("to", to.toEpochMilli())
                .map(ENTRY)
                .list());
    }

    /** Adds to the kept sum; a user's first entry makes their row. */
    static void addToBalance(org.jdbi.v3.core.Handle h, long userId, long amount) {
        h.createUpdate("INSERT INTO account_balances (user_id, balance) VALUES (:user, :amount)"
                        + " ON CONFLICT (user_id) DO UPDATE SET balance = account_balances.balance + excluded.balance")
                .bind("user", userId)
                .bind("amount", amount)
                .execute();
    }

    /** The user's entries, oldest first. */
    @Override
    public List<LedgerEntry> byUser(long userId) {
        return session.read(h -> h.createQuery("SELECT * FROM ledger WHERE user_id = :user ORDER BY id")
                .bind("user", userId)
                .map(ENTRY)
                .list());
    }
}
