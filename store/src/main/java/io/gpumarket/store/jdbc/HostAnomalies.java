package io.gpumarket.store.jdbc;

import io.gpumarket.core.billing.TrafficClaims;
import io.gpumarket.store.HostAnomaly;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * The statements of {@code host_anomalies}: findings on hosts' traffic claims, written in the transaction that
 * records the sample they were found in. One row per instance, kind and hour: a host repeating a claim at every sync
 * adds to {@code times} instead of growing the table.
 */
final class HostAnomalies {
    /** Repeats within this long of a row's first finding add to it. */
    static final long REPEAT_MILLIS = 3_600_000L;
    /** Detail kept per row (the finding's own text is short; this only bounds it). */
    private static final int DETAIL_MAX = 500;

    private static final RowMapper<HostAnomaly> ROW = (rs, ctx) -> {
        long instance = rs.getLong("instance_id");
        Long instanceId = rs.wasNull() ? null : instance;
        return new HostAnomaly(
                rs.getLong("id"),
                rs.getLong("machine_id"),
                instanceId,
                rs.getString("kind"),
                Columns.instant(rs, "first_at"),
                Columns.instant(rs, "last_at"),
                rs.getInt("times"),
                rs.getLong("claimed_bytes"),
                rs.getLong("billed_bytes"),
                rs.getString("detail"));
    };

    private HostAnomalies() {}

    static void record(Handle h, long machineId, long instanceId, TrafficClaims.Finding f, long at) {
        String detail = f.detail().length() > DETAIL_MAX ? f.detail().substring(0, DETAIL_MAX) : f.detail();
        int updated = h.createUpdate(
                        "UPDATE host_anomalies SET times = times + 1, last_at = :at, claimed_bytes = :claimed,"
                                + " billed_bytes = :billed, detail = :detail WHERE id = (SELECT max(id) FROM host_anomalies"
                                + " WHERE instance_id = :instance AND kind = :kind AND first_at > :repeat_after)")
                .bind("at", at)
                .bind("claimed", f.claimedBytes())
                .bind("billed", f.billedBytes())
                .bind("detail", detail)
                .bind("instance", instanceId)
                .bind("kind", f.kind().wire)
                .bind("repeat_after", at - REPEAT_MILLIS)
                .execute();
        if (updated > 0) return;
        h.createUpdate(
                        "INSERT INTO host_anomalies (machine_id, instance_id, kind, first_at, last_at, times, claimed_bytes,"
                                + " billed_bytes, detail) VALUES (:machine, :instance, :kind, :at, :at, 1, :claimed, :billed, :detail)")
                .bind("machine", machineId)
                .bind("instance", instanceId)
                .bind("kind", f.kind().wire)
                .bind("at", at)
                .bind("claimed", f.claimedBytes())
                .bind("billed", f.billedBytes())
                .bind("detail", detail)
                .execute();
    }

    /** Rows whose latest repeat is at or after {@code since}, newest first. */
    static List<HostAnomaly> since(Handle h, Instant since, int limit) {
        return h.createQuery(
                        "SELECT * FROM host_anomalies WHERE last_at >= :since ORDER BY last_at DESC, id DESC LIMIT :limit")
                .bind("since", since.toEpochMilli())
                .bind("limit", limit)
                .map(ROW)
                .list();
    }

    /** Per machine, when each row's findings began, for rows begun at or after {@code since}. */
    static Map<Long, List<Instant>> times(Handle h, Instant since) {
        Map<Long, List<Instant>> out = new HashMap<>();
        h.createQuery("SELECT machine_id, first_at FROM host_anomalies WHERE first_at >= :since ORDER BY id")
                .bind("since", since.toEpochMilli())
                .map((rs, ctx) -> Map.entry(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2))))
                .forEach(e ->
                        out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return out;
    }

    /** Findings (repeats included) per machine, ever; machines without any are absent. */
    static Map<Long, Integer> counts(Handle h, Collection<Long> machineIds) {
        Map<Long, Integer> out = new HashMap<>();
        h.createQuery(
                        "SELECT machine_id, SUM(times) FROM host_anomalies WHERE machine_id IN (<ids>) GROUP BY machine_id")
                .bindList("ids", List.copyOf(machineIds))
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getInt(2)))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
