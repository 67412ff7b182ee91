package io.gpumarket.store.jdbc;

import io.gpumarket.core.machine.MachineReport;
import io.gpumarket.store.ReportRepo;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link ReportRepo} on the {@code machine_reports} table. */
final class JdbcReportRepo implements ReportRepo {
    private static final String COLUMNS = "id, machine_id, instance_id, reporter_id, problem, message, created_at";
    private static final RowMapper<MachineReport> REPORT = (rs, ctx) -> new MachineReport(
            rs.getLong("id"),
            rs.getLong("machine_id"),
            rs.getLong("instance_id"),
            rs.getLong("reporter_id"),
            rs.getString("problem"),
            rs.getString("message"),
            Columns.instant(rs, "created_at"));

    private final Session session;

    JdbcReportRepo(Session session) {
        this.session = session;
    }

    @Override
    public MachineReport add(MachineReport r) {
        return session.write(h -> h.createQuery(
                        "INSERT INTO machine_reports (machine_id, instance_id, reporter_id, problem, message, "
                                + "created_at) VALUES (:machine, :instance, :reporter, :problem, :message, :at) RETURNING "
                                + COLUMNS)
                .bind("machine", r.machineId())
                .bind("instance", r.instanceId())
                .bind("reporter", r.reporterId())
                .bind("problem", r.problem())
                .bind("message", r.message())
                .bind("at", r.createdAt().toEpochMilli())
                .map(REPORT)
                .one());
    }

    @Override
    public List<MachineReport> ofMachine(long machineId) {
        return session.read(h -> h.createQuery(
                        "SELECT " + COLUMNS + " FROM machine_reports WHERE machine_id = :machine ORDER BY id")
                .bind("machine", machineId)
                .map(REPORT)
                .list());
    }

    @Override
    public Map<Long, Integer> counts(Collection<Long> machineIds) {
        if (machineIds.isEmpty()) return Map.of();
        Map<Long, Integer> counts = new HashMap<>();
        session.read(h -> h.createQuery(
                                "SELECT machine_id, COUNT(*) AS n FROM machine_reports WHERE machine_id IN (<machines>) GROUP BY machine_id")
                        .bindList("machines", List.copyOf(machineIds))
                        .map((rs, ctx) -> new long[] {rs.getLong("machine_id"), rs.getLong("n")})
                        .list())
                .forEach(row -> counts.put(row[0], (int) row[1]));
        return counts;
    }
}
