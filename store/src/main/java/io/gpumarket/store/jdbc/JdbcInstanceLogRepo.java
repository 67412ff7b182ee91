package io.gpumarket.store.jdbc;

import io.gpumarket.core.instance.LogTicket;
import io.gpumarket.store.InstanceLogRepo;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link InstanceLogRepo} on the {@code instance_logs} table. */
final class JdbcInstanceLogRepo implements InstanceLogRepo {
    private static final String COLUMNS =
            "l.token, l.instance_id, l.tail, l.filter, l.requested_at, l.uploaded_at, l.command";
    private static final RowMapper<LogTicket> TICKET = (rs, ctx) -> new LogTicket(
            rs.getString("token"),
            rs.getLong("instance_id"),
            rs.getInt("tail"),
            rs.getString("filter"),
            Columns.instant(rs, "requested_at"),
            Columns.nullableInstant(rs, "uploaded_at"),
            rs.getString("command") == null ? null : JsonColumns.strings(rs.getString("command")));

    private final Session session;

    JdbcInstanceLogRepo(Session session) {
        this.session = session;
    }

    @Override
    public LogTicket create(String token, long instanceId, int tail, String filter, Instant now) {
        return session.write(h -> h.createQuery("""
                        INSERT INTO instance_logs (token, instance_id, tail, filter, requested_at)
                        VALUES (:token, :instance, :tail, :filter, :now)
                        RETURNING token, instance_id, tail, filter, requested_at, uploaded_at, command""")
                .bind("token", token)
                .bind("instance", instanceId)
                .bind("tail", tail)
                .bind("filter", filter)
                .bind("now", now.toEpochMilli())
                .map(TICKET)
                .one());
    }

    @Override
    public LogTicket createCommand(
            String token, long instanceId, List<String> command, Instant now, Instant expiresAt) {
        return session.write(h -> h.createQuery("""
                        INSERT INTO instance_logs (token, instance_id, tail, filter, requested_at, command, expires_at)
                        VALUES (:token, :instance, 0, NULL, :now, :command, :expires)
                        RETURNING token, instance_id, tail, filter, requested_at, uploaded_at, command""")
                .bind("token", token)
                .bind("instance", instanceId)
                .bind("now", now.toEpochMilli())
                .bind("command", JsonColumns.strings(command))
                .bind("expires", expiresAt.toEpochMilli())
                .map(TICKET)
                .one());
    }

    @Override
    public Optional<String> content(String token, Instant now) {
        return session.read(h -> h.createQuery("SELECT content FROM instance_logs WHERE token = :token"
                        + " AND uploaded_at IS NOT NULL AND (expires_at IS NULL OR expires_at > :now)")
                .bind("token", token)
                .bind("now", now.toEpochMilli())
                .mapTo(String.class)
                .findOne());
    }

    @Override
    public Optional<LogTicket> find(String token) {
        return session.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM instance_logs l WHERE l.token = :token")
                .bind("token", token)
                .map(TICKET)
                .findOne());
    }

    @Override
    public List<LogTicket> pendingOnMachine(long machineId, Instant since) {
        return session.read(h -> h.createQuery("SELECT " + COLUMNS + """
                         FROM instance_logs l JOIN instances i ON i.id = l.instance_id
                        WHERE i.machine_id = :machine AND i.destroyed_at IS NULL AND l.uploaded_at IS NULL
                          AND l.requested_at > :since
                        ORDER BY l.requested_at, l.token""")
                .bind("machine", machineId)
                .bind("since", since.toEpochMilli())
                .map(TICKET)
                .list());
    }

    @Override
    public boolean upload(String token, String text, Instant now) {
        return session.write(h -> h.createUpdate(
                                "UPDATE instance_logs SET content = :text, uploaded_at = :now WHERE token = :token AND uploaded_at IS NULL")
                        .bind("text", text)
                        .bind("now", now.toEpochMilli())
                        .bind("token", token)
                        .execute()
                == 1);
    }

    @Override
    public Optional<String> content(String token) {
        return session.read(
                h -> h.createQuery("SELECT content FROM instance_logs WHERE token = :token AND uploaded_at IS NOT NULL")
                        .bind("token", token)
                        .mapTo(String.class)
                        .findOne());
    }
}
