package io.gpumarket.store.jdbc;

import io.gpumarket.store.CopyRepo;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link CopyRepo} on the {@code copy_transfers} table. */
final class JdbcCopyRepo implements CopyRepo {
    private static final String COLUMNS = "id, owner_id, src_instance, dst_instance, src_path, dst_path, ticket_hash,"
            + " ticket_sealed, state, message, created_at";
    private static final RowMapper<Transfer> ROW = (rs, ctx) -> new Transfer(
            rs.getLong("id"),
            rs.getLong("owner_id"),
            rs.getLong("src_instance"),
            rs.getLong("dst_instance"),
            rs.getString("src_path"),
            rs.getString("dst_path"),
            rs.getString("ticket_hash"),
            rs.getString("ticket_sealed"),
            rs.getString("state"),
            rs.getString("message"),
            Instant.ofEpochMilli(rs.getLong("created_at")));

    private final Session session;

    JdbcCopyRepo(Session session) {
        this.session = session;
    }

    @Override
    public long create(
            long ownerId,
            long srcInstance,
            long dstInstance,
            String srcPath,
            String dstPath,
            String ticketHash,
            String ticketSealed,
            String message,
            Instant now) {
        return session.write(h -> h.createQuery("INSERT INTO copy_transfers (owner_id, src_instance, dst_instance,"
                        + " src_path, dst_path, ticket_hash, ticket_sealed, state, message, created_at, updated_at)"
                        + " VALUES (:owner, :src, :dst, :srcPath, :dstPath, :hash, :sealed, :state, :message, :now,"
                        + " :now) RETURNING id")
                .bind("owner", ownerId)
                .bind("src", srcInstance)
                .bind("dst", dstInstance)
                .bind("srcPath", srcPath)
                .bind("dstPath", dstPath)
                .bind("hash", ticketHash)
                .bind("sealed", ticketSealed)
                .bind("state", ACTIVE)
                .bind("message", message)
                .bind("now", now.toEpochMilli())
                .mapTo(Long.class)
                .one());
    }

    @Override
    public Optional<Transfer> find(long id) {
        return session.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM copy_transfers WHERE id = :id")
                .bind("id", id)
                .map(ROW)
                .findOne());
    }

    @Override
    public List<Transfer> activeFor(Collection<Long> instanceIds) {
        if (instanceIds.isEmpty()) return List.of();
        List<Long> ids = List.copyOf(instanceIds);
        return session.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM copy_transfers WHERE state = :state AND"
                        + " (src_instance IN (<ids>) OR dst_instance IN (<ids>)) ORDER BY id")
                .bind("state", ACTIVE)
                .bindList("ids", ids)
                .map(ROW)
                .list());
    }

    @Override
    public List<Transfer> activeInto(long dstInstance) {
        return session.read(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM copy_transfers WHERE state = :state AND dst_instance = :dst ORDER BY id")
                .bind("state", ACTIVE)
                .bind("dst", dstInstance)
                .map(ROW)
                .list());
    }

    @Override
    public boolean progress(long id, String message, Instant now) {
        return session.write(h -> h.createUpdate("UPDATE copy_transfers SET message = :message, updated_at = :now"
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
        return session.write(h -> h.createUpdate("UPDATE copy_transfers SET state = :end, message = :message,"
                                + " ticket_sealed = NULL, updated_at = :now WHERE id = :id AND state = :state")
                        .bind("id", id)
                        .bind("end", state)
                        .bind("message", message)
                        .bind("now", now.toEpochMilli())
                        .bind("state", ACTIVE)
                        .execute()
                == 1);
    }
}
