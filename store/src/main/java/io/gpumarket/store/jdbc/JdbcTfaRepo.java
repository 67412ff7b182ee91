package io.gpumarket.store.jdbc;

import io.gpumarket.store.TfaRepo;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link TfaRepo} on the {@code tfa_totp} table (one row per account, by a unique index). */
final class JdbcTfaRepo implements TfaRepo {
    private static final RowMapper<TotpMethod> TOTP = (rs, ctx) -> {
        Object step = rs.getObject("last_step");
        return new TotpMethod(
                rs.getLong("id"),
                rs.getLong("user_id"),
                rs.getString("label"),
                rs.getString("sealed"),
                Columns.instant(rs, "created_at"),
                Columns.nullableInstant(rs, "confirmed_at"),
                Columns.nullableInstant(rs, "last_used_at"),
                step == null ? null : ((Number) step).longValue(),
                rs.getInt("fail_count"));
    };

    private final Session session;

    JdbcTfaRepo(Session session) {
        this.session = session;
    }

    @Override
    public Optional<TotpMethod> find(long userId) {
        return session.read(h -> h.createQuery("SELECT * FROM tfa_totp WHERE user_id = :user")
                .bind("user", userId)
                .map(TOTP)
                .findOne());
    }

    @Override
    public Optional<TotpMethod> startEnrolling(long userId, String label, String sealed, Instant now) {
        return session.write(h -> {
            h.createUpdate("DELETE FROM tfa_totp WHERE user_id = :user AND confirmed_at IS NULL")
                    .bind("user", userId)
                    .execute();
            // a confirmed authenticator keeps the row: the insert does nothing and nothing is returned
            return h.createQuery("""
                            INSERT INTO tfa_totp (user_id, label, sealed, created_at) VALUES (:user, :label, :sealed, :now)
                            ON CONFLICT (user_id) DO NOTHING RETURNING *""")
                    .bind("user", userId)
                    .bind("label", label)
                    .bind("sealed", sealed)
                    .bind("now", now.toEpochMilli())
                    .map(TOTP)
                    .findOne();
        });
    }

    @Override
    public boolean accept(long id, long step, Instant now) {
        return session.write(h -> h.createUpdate("""
                                UPDATE tfa_totp SET last_step = :step, last_used_at = :now, fail_count = 0,
                                    confirmed_at = COALESCE(confirmed_at, :now)
                                WHERE id = :id AND (last_step IS NULL OR last_step < :step)""")
                        .bind("id", id)
                        .bind("step", step)
                        .bind("now", now.toEpochMilli())
                        .execute()
                == 1);
    }

    @Override
    public int failed(long id) {
        return session.write(h -> h.createQuery(
                        "UPDATE tfa_totp SET fail_count = fail_count + 1 WHERE id = :id RETURNING fail_count")
                .bind("id", id)
                .mapTo(Integer.class)
                .findOne()
                .orElse(0));
    }

    @Override
    public boolean delete(long userId) {
        return session.write(h -> h.createUpdate("DELETE FROM tfa_totp WHERE user_id = :user")
                        .bind("user", userId)
                        .execute()
                > 0);
    }
}
