package io.gpumarket.store.jdbc;

import io.gpumarket.core.machine.MaintenanceWindow;
import io.gpumarket.store.MaintenanceRepo;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link MaintenanceRepo} on the {@code machine_maintenances} table. */
final class JdbcMaintenanceRepo implements MaintenanceRepo {
    private static final RowMapper<MaintenanceWindow> WINDOW = (rs, ctx) -> new MaintenanceWindow(
            rs.getLong("id"),
            rs.getLong("machine_id"),
            Columns.instant(rs, "start_at"),
            Columns.instant(rs, "end_at"),
            rs.getString("category"),
            rs.getString("reason"));

    private final Session session;

    JdbcMaintenanceRepo(Session session) {
        this.session = session;
    }

    @Override
    public MaintenanceWindow add(MaintenanceWindow w, Instant now) {
        return session.write(h -> h.createQuery("""
                        INSERT INTO machine_maintenances (machine_id, start_at, end_at, category, reason, created_at)
                        VALUES (:machine, :start, :end, :category, :reason, :now)
                        RETURNING id, machine_id, start_at, end_at, category, reason""")
                .bind("machine", w.machineId())
                .bind("start", w.start().toEpochMilli())
                .bind("end", w.end().toEpochMilli())
                .bind("category", w.category())
                .bind("reason", w.reason())
                .bind("now", now.toEpochMilli())
                .map(WINDOW)
                .one());
    }

    @Override
    public List<MaintenanceWindow> notEnded(Collection<Long> machineIds, Instant now) {
        if (machineIds.isEmpty()) return List.of();
        return session.read(h -> h.createQuery("""
                        SELECT id, machine_id, start_at, end_at, category, reason FROM machine_maintenances
                        WHERE machine_id IN (<machines>) AND end_at > :now ORDER BY start_at, id""")
                .bindList("machines", List.copyOf(machineIds))
                .bind("now", now.toEpochMilli())
                .map(WINDOW)
                .list());
    }

    @Override
    public int cancel(long machineId, Instant now) {
        return session.write(
                h -> h.createUpdate("DELETE FROM machine_maintenances WHERE machine_id = :machine AND end_at > :now")
                        .bind("machine", machineId)
                        .bind("now", now.toEpochMilli())
                        .execute());
    }
}
