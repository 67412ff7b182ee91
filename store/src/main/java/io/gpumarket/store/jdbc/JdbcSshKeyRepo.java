package io.gpumarket.store.jdbc;

import io.gpumarket.core.sshkey.SshKey;
import io.gpumarket.store.SshKeyRepo;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link SshKeyRepo} on the {@code ssh_keys} table; every statement names the owner. */
final class JdbcSshKeyRepo implements SshKeyRepo {
    private static final RowMapper<SshKey> KEY = (rs, ctx) -> new SshKey(rs.getLong("id"), rs.getLong("user_id"),
            rs.getString("public_key"), Columns.instant(rs, "created_at"), Columns.nullableInstant(rs, "deleted_at"));

    private final Session session;

    JdbcSshKeyRepo(Session session) {
        this.session = session;
    }

    @Override
    public SshKey create(long userId, String publicKey, Instant now) {
        return session.write(h -> h.createQuery("""
                        INSERT INTO ssh_keys (user_id, public_key, created_at) VALUES (:user, :key, :now) RETURNING *""")
                .bind("user", userId).bind("key", publicKey).bind("now", now.toEpochMilli()).map(KEY).one());
    }

    @Override
    public Optional<SshKey> find(long userId, long id) {
        return session.read(h -> h.createQuery(
                        "SELECT * FROM ssh_keys WHERE id = :id AND user_id = :user AND deleted_at IS NULL")
                .bind("id", id).bind("user", userId).map(KEY).findOne());
    }

    @Override
    public List<SshKey> live(long userId) {
        return session.read(h -> h.createQuery(
                        "SELECT * FROM ssh_keys WHERE user_id = :user AND deleted_at IS NULL ORDER BY id")
                .bind("user", userId).map(KEY).list());
    }

    @Override
    public boolean update(long userId, long id, String publicKey, Instant now) {
        return session.write(h -> h.createUpdate(
                        "UPDATE ssh_keys SET public_key = :key WHERE id = :id AND user_id = :user AND deleted_at IS NULL")
                .bind("key", publicKey).bind("id", id).bind("user", userId).execute() == 1);
    }

    @Override
    public boolean delete(long userId, long id, Instant now) {
        return session.write(h -> h.createUpdate(
                        "UPDATE ssh_keys SET deleted_at = :now WHERE id = :id AND user_id = :user AND deleted_at IS NULL")
                .bind("now", now.toEpochMilli()).bind("id", id).bind("user", userId).execute() == 1);
    }
}
