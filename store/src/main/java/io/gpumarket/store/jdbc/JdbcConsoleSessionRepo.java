package io.gpumarket.store.jdbc;

import io.gpumarket.store.ConsoleSessionRepo;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link ConsoleSessionRepo} on {@code users.password_hash} and the {@code console_sessions} table. */
final class JdbcConsoleSessionRepo implements ConsoleSessionRepo {
    private static final RowMapper<ConsoleSession> SESSION = (rs, ctx) -> {
        // read as an object: NULL (a password sign-in) must stay null, not become key 0
        Object keyId = rs.getObject("api_key_id");
        return new ConsoleSession(
                rs.getLong("id"),
                rs.getLong("user_id"),
                keyId == null ? null : ((Number) keyId).longValue(),
                rs.getString("csrf_token"),
                Columns.instant(rs, "created_at"),
                Columns.instant(rs, "expires_at"));
    };

    private final Session session;

    JdbcConsoleSessionRepo(Session session) {
        this.session = session;
    }

    @Override
    public boolean setPasswordHash(long userId, String hash) {
        return session.write(h -> h.createUpdate("UPDATE users SET password_hash = :hash WHERE id = :id")
                        .bind("hash", hash)
                        .bind("id", userId)
                        .execute()
                == 1);
    }

    @Override
    public Optional<String> passwordHash(long userId) {
        return session.read(h -> h.createQuery("SELECT password_hash FROM users WHERE id = :id")
                .bind("id", userId)
                .mapTo(String.class)
                .findOne());
    }

    @Override
    public ConsoleSession create(
            String secretHash, long userId, Long apiKeyId, String csrfToken, Instant now, Instant expiresAt) {
        return session.write(h -> h.createQuery("""
                        INSERT INTO console_sessions (secret_hash, user_id, api_key_id, csrf_token, created_at, expires_at)
                        VALUES (:hash, :user, :key, :csrf, :now, :expires) RETURNING *""")
                .bind("hash", secretHash)
                .bind("user", userId)
                .bind("key", apiKeyId)
                .bind("csrf", csrfToken)
                .bind("now", now.toEpochMilli())
                .bind("expires", expiresAt.toEpochMilli())
                .map(SESSION)
                .one());
    }

    @Override
    public Optional<ConsoleSession> find(String secretHash) {
        return session.read(h -> h.createQuery("SELECT * FROM console_sessions WHERE secret_hash = :hash")
                .bind("hash", secretHash)
                .map(SESSION)
                .findOne());
    }

    @Override
    public boolean delete(String secretHash) {
        return session.write(h -> h.createUpdate("DELETE FROM console_sessions WHERE secret_hash = :hash")
                        .bind("hash", secretHash)
                        .execute()
                == 1);
    }

    @Override
    public int deleteAll(long userId) {
        return session.write(h -> h.createUpdate("DELETE FROM console_sessions WHERE user_id = :user")
                .bind("user", userId)
                .execute());
    }

    @Override
    public int deleteExpired(Instant now) {
        return session.write(h -> h.createUpdate("DELETE FROM console_sessions WHERE expires_at < :now")
                .bind("now", now.toEpochMilli())
                .execute());
    }
}
