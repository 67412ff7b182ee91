package io.gpumarket.store.jdbc;

import io.gpumarket.core.sshkey.SshKey;
import io.gpumarket.store.SshKeyRepo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * {@link SshKeyRepo} on the {@code ssh_keys} table: account keys have no instance_id, attached keys have one. Every
 * account-key statement names the owner and excludes attached keys; every attached-key statement names the instance.
 */
final class JdbcSshKeyRepo implements SshKeyRepo {
    private static final RowMapper<SshKey> KEY = (rs, ctx) -> new SshKey(
            rs.getLong("id"),
            rs.getLong("user_id"),
            rs.getString("public_key"),
            Columns.instant(rs, "created_at"),
            Columns.nullableInstant(rs, "deleted_at"));

    private final Session session;

    JdbcSshKeyRepo(Session session) {
        this.session = session;
    }

    @Override
    public SshKey create(long userId, String publicKey, Instant now) {
        return session.write(h -> h.createQuery("""
                        INSERT INTO ssh_keys (user_id, public_key, created_at) VALUES (:user, :key, :now) RETURNING *""")
                .bind("user", userId)
                .bind("key", publicKey)
                .bind("now", now.toEpochMilli())
                .map(KEY)
                .one());
    }

    @Override
    public Optional<SshKey> find(long userId, long id) {
        return session.read(h ->
                h.createQuery("""
                        SELECT * FROM ssh_keys
                        WHERE id = :id AND user_id = :user AND deleted_at IS NULL AND instance_id IS NULL""").bind("id", id).bind("user", userId).map(KEY).findOne());
    }

    @Override
    public List<SshKey> live(long userId) {
        return session.read(
                h -> h.createQuery("""
                        SELECT * FROM ssh_keys
                        WHERE user_id = :user AND deleted_at IS NULL AND instance_id IS NULL ORDER BY id""").bind("user", userId).map(KEY).list());
    }

    @Override
    public boolean update(long userId, long id, String publicKey, Instant now) {
        return session.write(h -> h.createUpdate("""
                        UPDATE ssh_keys SET public_key = :key
                        WHERE id = :id AND user_id = :user AND deleted_at IS NULL AND instance_id IS NULL""")
                        .bind("key", publicKey)
                        .bind("id", id)
                        .bind("user", userId)
                        .execute()
                == 1);
    }

    @Override
    public boolean delete(long userId, long id, Instant now) {
        return session.write(h -> h.createUpdate("""
                        UPDATE ssh_keys SET deleted_at = :now
                        WHERE id = :id AND user_id = :user AND deleted_at IS NULL AND instance_id IS NULL""")
                        .bind("now", now.toEpochMilli())
                        .bind("id", id)
                        .bind("user", userId)
                        .execute()
                == 1);
    }

    @Override
    public SshKey attach(long userId, long instanceId, String publicKey, Instant now) {
        return session.write(h -> h.createQuery("""
                        INSERT INTO ssh_keys (user_id, instance_id, public_key, created_at)
                        VALUES (:user, :instance, :key, :now) RETURNING *""")
                .bind("user", userId)
                .bind("instance", instanceId)
                .bind("key", publicKey)
                .bind("now", now.toEpochMilli())
                .map(KEY)
                .one());
    }

    @Override
    public List<SshKey> attached(long instanceId) {
        return session.read(h -> h.createQuery(
                        "SELECT * FROM ssh_keys WHERE instance_id = :instance AND deleted_at IS NULL ORDER BY id")
                .bind("instance", instanceId)
                .map(KEY)
                .list());
    }

    @Override
    public boolean detach(long instanceId, long keyId, Instant now) {
        return session.write(h -> h.createUpdate(
                                "UPDATE ssh_keys SET deleted_at = :now WHERE id = :id AND instance_id = :instance AND deleted_at IS NULL")
                        .bind("now", now.toEpochMilli())
                        .bind("id", keyId)
                        .bind("instance", instanceId)
                        .execute()
                == 1);
    }

    @Override
    public Map<Long, List<String>> attachedOnMachine(long machineId) {
        Map<Long, List<String>> out = new LinkedHashMap<>();
        session.read(h -> h.createQuery("""
                        SELECT k.instance_id, k.public_key FROM ssh_keys k JOIN instances i ON i.id = k.instance_id
                        WHERE i.machine_id = :machine AND i.destroyed_at IS NULL AND k.deleted_at IS NULL
                        ORDER BY k.instance_id, k.id""")
                .bind("machine", machineId)
                .map((rs, ctx) -> out.computeIfAbsent(rs.getLong("instance_id"), id -> new ArrayList<>())
                        .add(rs.getString("public_key")))
                .list());
        return out;
    }
}
