package io.gpumarket.store.jdbc;

import io.gpumarket.core.account.LedgerEntry;
import io.gpumarket.store.LedgerRepo;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * {@link LedgerRepo} on the append-only {@code ledger} table.
 *
 * <p>Idempotency is decided by the unique index on (user_id, idempotency_key), not by looking first: two
 * concurrent appends under one key both try to insert, the index lets one in, and the other's
 * {@code ON CONFLICT DO NOTHING} stores nothing, after which it reads the winner's entry. Using ON CONFLICT
 * rather than catching the violation matters on PostgreSQL: a failed statement would abort the caller's whole
 * transaction, while a conflict that does nothing leaves it usable.
 */
final class JdbcLedgerRepo implements LedgerRepo {
    private static final RowMapper<LedgerEntry> ENTRY = (rs, ctx) -> new LedgerEntry(rs.getLong("id"),
            rs.getLong("user_id"), rs.getString("kind"), rs.getLong("amount"), rs.getString("memo"),
            rs.getString("idempotency_key"), Columns.instant(rs, "created_at"));

    private final Session session;

    JdbcLedgerRepo(Session session) {
        this.session = session;
    }

    /**
     * Appends an entry; with an idempotency key this user already used, stores nothing and returns the entry
     * stored under that key (whatever its kind and amount).
     */
    @Override
    public LedgerEntry append(long userId, String kind, long amount, String memo, String idempotencyKey,
                              Instant now) {
        return session.write(h -> {
            Optional<LedgerEntry> inserted = h.createQuery("""
                            INSERT INTO ledger (user_id, kind, amount, memo, idempotency_key, created_at)
                            VALUES (:user, :kind, :amount, :memo, :key, :now)
                            ON CONFLICT (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
                            RETURNING *""")
                    .bind("user", userId).bind("kind", kind).bind("amount", amount).bind("memo", memo)
                    .bind("key", idempotencyKey).bind("now", now.toEpochMilli())
                    .map(ENTRY).findOne();
            if (inserted.isPresent()) return inserted.get();
            return h.createQuery("SELECT * FROM ledger WHERE user_id = :user AND idempotency_key = :key")
                    .bind("user", userId).bind("key", idempotencyKey).map(ENTRY).findOne()
                    .orElseThrow(() -> new IllegalStateException("ledger append for user " + userId + " under key "
                            + idempotencyKey + " conflicted, but no entry has that key"));
        });
    }

    @Override
    public long balance(long userId) {
        return session.read(h -> h.createQuery("SELECT COALESCE(SUM(amount), 0) FROM ledger WHERE user_id = :user")
                .bind("user", userId).mapTo(Long.class).one());
    }

    /** The user's entries, oldest first. */
    @Override
    public List<LedgerEntry> byUser(long userId) {
        return session.read(h -> h.createQuery("SELECT * FROM ledger WHERE user_id = :user ORDER BY id")
                .bind("user", userId).map(ENTRY).list());
    }
}
