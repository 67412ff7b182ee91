package io.gpumarket.store.jdbc;

import io.gpumarket.core.account.ApiKey;
import io.gpumarket.store.ApiKeyRepo;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link ApiKeyRepo} on the {@code api_keys} table. Keys are soft-deleted so an old hash still resolves. */
final class JdbcApiKeyRepo implements ApiKeyRepo {
    private static final RowMapper<ApiKey> KEY = (rs, ctx) -> new ApiKey(
            rs.getLong("id"),
            rs.getLong("user_id"),
            rs.getString("name"),
            rs.getString("secret_hash"),
            rs.getString("permissions"),
            Columns.instant(rs, "created_at"),
            Columns.nullableInstant(rs, "expires_at"),
            Columns.nullableInstant(rs, "deleted_at"),
            rs.getObject("member_id") == null ? null : rs.getLong("member_id"));

    private final Session session;

    JdbcApiKeyRepo(Session session) {
        this.session = session;
    }

    /** @throws io.gpumarket.store.DuplicateException when a key with this secret hash exists */
    @Override
    public ApiKey create(
            long userId, String name, String secretHash, String permissions, Instant expiresAt, Instant now) {
        return session.write(
                h -> h.createQuery("""
                        INSERT INTO api_keys (user_id, name, secret_hash, permissions, created_at, expires_at)
                        VALUES (:user, :name, :hash, :permissions, :now, :expires) RETURNING *""")
                        .bind("user", userId)
                        .bind("name", name)
                        .bind("hash", secretHash)
                        .bind("permissions", permissions)
                        .bind("now", now.toEpochMilli())
                        .bind("expires", Columns.millis(expiresAt))
                        .map(KEY)
                        .one(),
                constraint -> "an API key with this secret hash already exists");
    }

    @Override
    public ApiKey createForMember(
            long teamId,
            long memberId,
            String name,
            String secretHash,
            String permissions,
            Instant expiresAt,
            Instant now) {
        return session.write(
                h -> h.createQuery("""
                        INSERT INTO api_keys (user_id, name, secret_hash, permissions, created_at, expires_at, member_id)
                        VALUES (:user, :name, :hash, :permissions, :now, :expires, :member) RETURNING *""")
                        .bind("user", teamId)
                        .bind("name", name)
                        .bind("hash", secretHash)
                        .bind("permissions", permissions)
                        .bind("now", now.toEpochMilli())
                        .bind("expires", Columns.millis(expiresAt))
                        .bind("member", memberId)
                        .map(KEY)
                        .one(),
                constraint -> "an API key with this secret hash already exists");
    }

    @Override
    public List<Long> deleteMemberKeys(long teamId, long memberId, Instant now) {
        return session.write(h -> h.createQuery("""
                        UPDATE api_keys SET deleted_at = :now
                        WHERE user_id = :team AND member_id = :member AND deleted_at IS NULL RETURNING id""")
                .bind("now", now.toEpochMilli())
                .bind("team", teamId)
                .bind("member", memberId)
                .mapTo(Long.class)
                .list());
    }

    @Override
    public List<Long> deleteAll(long userId, Instant now) {
        return session.write(h -> h.createQuery(
                        "UPDATE api_keys SET deleted_at = :now WHERE user_id = :user AND deleted_at IS NULL RETURNING id")
                .bind("now", now.toEpochMilli())
                .bind("user", userId)
                .mapTo(Long.class)
                .list());
    }

    @Override
    public Optional<ApiKey> findByHash(String secretHash) {
        return session.read(h -> h.createQuery("SELECT * FROM api_keys WHERE secret_hash = :hash")
                .bind("hash", secretHash)
                .map(KEY)
                .findOne());
    }

    @Override
    public Optional<ApiKey> find(long userId, long keyId) {
        return session.read(
                h -> h.createQuery("SELECT * FROM api_keys WHERE id = :id AND user_id = :user AND deleted_at IS NULL")
                        .bind("id", keyId)
                        .bind("user", userId)
                        .map(KEY)
                        .findOne());
    }

    @Override
    public List<ApiKey> byUser(long userId) {
        return session.read(
                h -> h.createQuery("SELECT * FROM api_keys WHERE user_id = :user AND deleted_at IS NULL ORDER BY id")
                        .bind("user", userId)
                        .map(KEY)
                        .list());
    }

    @Override
    public boolean delete(long userId, long keyId, Instant now) {
        // Scoped to the owner: a user naming someone else's key id changes nothing and learns nothing.
        return session.write(h -> h.createUpdate("""
                        UPDATE api_keys SET deleted_at = :now
                        WHERE id = :id AND user_id = :user AND deleted_at IS NULL""")
                        .bind("now", now.toEpochMilli())
                        .bind("id", keyId)
                        .bind("user", userId)
                        .execute()
                == 1);
    }
}
