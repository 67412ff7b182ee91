package io.gpumarket.store.jdbc;

import io.gpumarket.store.CloudRepo;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link CloudRepo} on the {@code cloud_connections} and {@code cloud_copies} tables. */
final class JdbcCloudRepo implements CloudRepo {
    private static final String CONNECTION = "id, owner_id, name, cloud_type, config_sealed, created_at";
    private static final String COPY = "id, owner_id, instance_id, connection_id, to_cloud, instance_path, cloud_path,"
            + " flags, state, message, created_at";
    private static final RowMapper<Connection> CONNECTION_ROW = (rs, ctx) -> new Connection(
            rs.getLong("id"),
            rs.getLong("owner_id"),
            rs.getString("name"),
            rs.getString("cloud_type"),
            rs.getString("config_sealed"),
            Instant.ofEpochMilli(rs.getLong("created_at")));
    private static final RowMapper<Copy> COPY_ROW = (rs, ctx) -> new Copy(
            rs.getLong("id"),
            rs.getLong("owner_id"),
            rs.getLong("instance_id"),
            rs.getLong("connection_id"),
            rs.getBoolean("to_cloud"),
            rs.getString("instance_path"),
            rs.getString("cloud_path"),
            flags(rs.getString("flags")),
            rs.getString("state"),
            rs.getString("message"),
            Instant.ofEpochMilli(rs.getLong("created_at")));

    private final Session session;

    JdbcCloudRepo(Session session) {
        this.session = session;
    }

    @Override
    public long createConnection(long ownerId, String name, String cloudType, Instant now) {
        return session.write(h -> h.createQuery("INSERT INTO cloud_connections (owner_id, name, cloud_type,"
                        + " config_sealed, created_at) VALUES (:owner, :name, :type, '', :now) RETURNING id")
                .bind("owner", ownerId)
                .bind("name", name)
                .bind("type", cloudType)
                .bind("now", now.toEpochMilli())
                .mapTo(Long.class)
                .one());
    }

    @Override
    public void sealConnection(long id, String configSealed) {
        session.write(h -> h.createUpdate("UPDATE cloud_connections SET config_sealed = :sealed WHERE id = :id")
                .bind("id", id)
                .bind("sealed", configSealed)
                .execute());
    }

    @Override
    public List<Connection> connectionsOf(long ownerId) {
        return session.read(h -> h.createQuery(
                        "SELECT " + CONNECTION + " FROM cloud_connections WHERE owner_id = :owner ORDER BY id")
                .bind("owner", ownerId)
                .map(CONNECTION_ROW)
                .list());
    }

    @Override
    public Optional<Connection> connection(long id) {
        return session.read(h -> h.createQuery("SELECT " + CONNECTION + " FROM cloud_connections WHERE id = :id")
                .bind("id", id)
                .map(CONNECTION_ROW)
                .findOne());
    }

    @Override
    public boolean deleteConnection(long ownerId, long id) {
        return session.write(h -> h.createUpdate("DELETE FROM cloud_connections WHERE id = :id AND owner_id = :owner")
                        .bind("id", id)
                        .bind("owner", ownerId)
                        .execute()
                == 1);
    }

    @Override
    public long createCopy(
            long ownerId,
            long instanceId,
            long connectionId,
            boolean toCloud,
            String instancePath,
            String cloudPath,
            List<String> flags,
            String message,
            Instant now) {
        return session.write(h -> h.createQuery("INSERT INTO cloud_copies (owner_id, instance_id, connection_id,"
                        + " to_cloud, instance_path, cloud_path, flags, state, message, created_at, updated_at)"
                        + " VALUES (:owner, :instance, :connection, :toCloud, :instancePath, :cloudPath, :flags,"
                        + " :state, :message, :now, :now) RETURNING id")
                .bind("owner", ownerId)
                .bind("instance", instanceId)
                .bind("connection", connectionId)
                .bind("toCloud", toCloud)
                .bind("instancePath", instancePath)
                .bind("cloudPath", cloudPath)
                // flags are from a fixed list of words without spaces (core/cloud/CloudCopyRequest)
                .bind("flags", String.join(" ", flags))
                .bind("state", ACTIVE)
                .bind("message", message)
                .bind("now", now.toEpochMilli())
                .mapTo(Long.class)
                .one());
    }

    @Override
    public Optional<Copy> copy(long id) {
        return session.read(h -> h.createQuery("SELECT " + COPY + " FROM cloud_copies WHERE id = :id")
                .bind("id", id)
                .map(COPY_ROW)
                .findOne());
    }

    @Override
    public List<Copy> activeOn(Collection<Long> instanceIds) {
        if (instanceIds.isEmpty()) return List.of();
        return session.read(h -> h.createQuery("SELECT " + COPY
                        + " FROM cloud_copies WHERE state = :state AND instance_id IN (<ids>) ORDER BY id")
                .bind("state", ACTIVE)
                .bindList("ids", List.copyOf(instanceIds))
                .map(COPY_ROW)
                .list());
    }

    @Override
    public boolean inUse(long connectionId) {
        return session.read(h -> h.createQuery(
                                "SELECT COUNT(*) FROM cloud_copies WHERE connection_id = :c AND state = :state")
                        .bind("c", connectionId)
                        .bind("state", ACTIVE)
                        .mapTo(Long.class)
                        .one())
                > 0;
    }

    @Override
    public void setResultToken(long id, String tokenHash) {
        session.write(h -> h.createUpdate("UPDATE cloud_copies SET result_token_hash = :hash WHERE id = :id")
                .bind("id", id)
                .bind("hash", tokenHash)
                .execute());
    }

    @Override
    public Optional<Copy> copyByResultToken(String tokenHash) {
        return session.read(h -> h.createQuery("SELECT " + COPY + " FROM cloud_copies WHERE result_token_hash = :hash")
                .bind("hash", tokenHash)
                .map(COPY_ROW)
                .findOne());
    }

    @Override
    public boolean progress(long id, String message, Instant now) {
        return session.write(h -> h.createUpdate("UPDATE cloud_copies SET message = :message, updated_at = :now"
                                + " WHERE id = :id AND state = :state")
                        .bind("id", id)
                        .bind("message", message)
                        .bind("now", now.toEpochMilli())
                        .bind("state", ACTIVE)
                        .execute()
                == 1);
    }

    @Override
    public boolean end(long id, String state, String message, Instant now) {
        return session.write(h -> h.createUpdate("UPDATE cloud_copies SET state = :end, message = :message,"
                                + " updated_at = :now WHERE id = :id AND state = :state")
                        .bind("id", id)
                        .bind("end", state)
                        .bind("message", message)
                        .bind("now", now.toEpochMilli())
                        .bind("state", ACTIVE)
                        .execute()
                == 1);
    }

    private static List<String> flags(String stored) {
        return stored == null || stored.isBlank() ? List.of() : Arrays.asList(stored.split(" "));
    }
}
