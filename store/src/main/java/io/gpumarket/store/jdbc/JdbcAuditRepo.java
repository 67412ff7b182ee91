package io.gpumarket.store.jdbc;

import io.gpumarket.store.AuditRepo;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** {@link AuditRepo} on the {@code audit_log} table; appends are multi-row inserts ({@link Rows}). */
final class JdbcAuditRepo implements AuditRepo {
    // a team key's member is read from the key's row: the write path records nothing more for teams
    private static final String COLUMNS = "a.id, a.user_id, a.api_key_id, a.method, a.route, a.route_name, a.args,"
            + " a.status, a.ip_address, a.created_at, k.member_id, m.email AS member_email";
    private static final RowMapper<Entry> ENTRY = (rs, ctx) -> new Entry(
            rs.getLong("id"),
            rs.getLong("user_id"),
            rs.getObject("api_key_id") == null ? null : rs.getLong("api_key_id"),
            rs.getString("method"),
            rs.getString("route"),
            rs.getString("route_name"),
            rs.getString("args"),
            rs.getInt("status"),
            rs.getString("ip_address"),
            Columns.instant(rs, "created_at"),
            rs.getObject("member_id") == null ? null : rs.getLong("member_id"),
            rs.getString("member_email"));

    private final Session session;

    JdbcAuditRepo(Session session) {
        this.session = session;
    }

    @Override
    public void append(List<Entry> entries) {
        if (entries.isEmpty()) return;
        session.write(h -> {
            try {
                Rows.insert(
                        h.getConnection(),
                        "INSERT INTO audit_log (user_id, api_key_id, method, route, route_name, args, status,"
                                + " ip_address, created_at) VALUES ",
                        "",
                        9,
                        entries,
                        (ps, i, e) -> {
                            ps.setLong(i, e.userId());
                            if (e.apiKeyId() == null) ps.setNull(i + 1, Types.BIGINT);
                            else ps.setLong(i + 1, e.apiKeyId());
                            ps.setString(i + 2, e.method());
                            ps.setString(i + 3, e.route());
                            ps.setString(i + 4, e.routeName());
                            ps.setString(i + 5, e.args());
                            ps.setInt(i + 6, e.status());
                            ps.setString(i + 7, e.ipAddress());
                            ps.setLong(i + 8, e.createdAt().toEpochMilli());
                        });
            } catch (SQLException e) {
                throw new UnableToExecuteStatementException(e, null);
            }
            return null;
        });
    }

    @Override
    public List<Entry> of(long userId, Long beforeId, int limit) {
        // no older entry has an id this big: one statement for the first page and the next ones
        long before = beforeId == null ? Long.MAX_VALUE : beforeId;
        return session.read(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM audit_log a LEFT JOIN api_keys k ON k.id = a.api_key_id"
                        + " LEFT JOIN users m ON m.id = k.member_id"
                        + " WHERE a.user_id = :user AND a.id < :before ORDER BY a.id DESC LIMIT :limit")
                .bind("user", userId)
                .bind("before", before)
                .bind("limit", limit)
                .map(ENTRY)
                .list());
    }

    @Override
    public List<Address> addresses(long userId) {
        return session.read(h -> h.createQuery("SELECT ip_address, MIN(created_at) AS first_at, MAX(created_at) AS"
                        + " last_at, COUNT(*) AS calls FROM audit_log WHERE user_id = :user GROUP BY ip_address"
                        + " ORDER BY first_at, ip_address")
                .bind("user", userId)
                .map((rs, ctx) -> new Address(
                        rs.getString("ip_address"),
                        java.time.Instant.ofEpochMilli(rs.getLong("first_at")),
                        java.time.Instant.ofEpochMilli(rs.getLong("last_at")),
                        rs.getLong("calls")))
                .list());
    }
}
