package io.gpumarket.store.jdbc;

import static io.gpumarket.store.jdbc.MachineColumns.LISTING;
import static io.gpumarket.store.jdbc.MachineColumns.MACHINE;
import static io.gpumarket.store.jdbc.MachineColumns.SPEC;

import io.gpumarket.core.machine.HeartbeatHistory;
import io.gpumarket.core.machine.Listing;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.machine.MachineSpec;
import io.gpumarket.core.machine.Verification;
import io.gpumarket.store.MachineRepo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link MachineRepo} on the {@code machines} table. */
final class JdbcMachineRepo implements MachineRepo {
    private static final String INSERT = "INSERT INTO machines (host_id, " + MachineColumns.names(SPEC)
            + ", verification, reliability, free_gpus, token_hash, listed, created_at, updated_at) VALUES (:host, "
            + MachineColumns.params(SPEC) + ", :verification, :reliability, :num_gpus, :token, FALSE, :now, :now)"
            + " RETURNING *";

    // Free GPUs are capped in the same statement: SET expressions see the old row, and the CHECK sees the new.
    private static final String UPDATE_SPEC = "UPDATE machines SET " + MachineColumns.assignments(SPEC)
            + ", free_gpus = CASE WHEN free_gpus > :num_gpus THEN :num_gpus ELSE free_gpus END, updated_at = :now"
            + " WHERE id = :id";

    private static final String SET_LISTING = "UPDATE machines SET listed = :listed, "
            + MachineColumns.assignments(LISTING) + ", updated_at = :now WHERE id = :id";

    /** Machines per IN list or multi-row statement: well below both databases' bind-parameter limits. */
    private static final int CHUNK = 500;

    private final Session session;

    JdbcMachineRepo(Session session) {
        this.session = session;
    }

    /**
     * A new machine: unverified, unlisted, every GPU free.
     *
     * @throws io.gpumarket.store.DuplicateException when another machine has this token hash
     */
    @Override
    public Machine register(long hostId, MachineSpec spec, String tokenHash, double reliability, Instant now) {
        return session.write(
                h -> {
                    var insert = h.createQuery(INSERT)
                            .bind("host", hostId)
                            .bind("verification", Verification.UNVERIFIED.wire())
                            .bind("reliability", reliability)
                            .bind("token", tokenHash)
                            .bind("now", now.toEpochMilli());
                    MachineColumns.bindSpec(insert, spec);
                    return insert.map(MACHINE).one();
                },
                constraint -> "a machine with this token hash is already registered");
    }

    @Override
    public Optional<Machine> find(long id) {
        return session.read(h -> h.createQuery("SELECT * FROM machines WHERE id = :id")
                .bind("id", id)
                .map(MACHINE)
                .findOne());
    }

    @Override
    public Optional<Machine> findByTokenHash(String tokenHash) {
        return session.read(h -> h.createQuery("SELECT * FROM machines WHERE token_hash = :token")
                .bind("token", tokenHash)
                .map(MACHINE)
                .findOne());
    }

    /** The host's machines, in id order. */
    @Override
    public List<Machine> byHost(long hostId) {
        return session.read(h -> h.createQuery("SELECT * FROM machines WHERE host_id = :host ORDER BY id")
                .bind("host", hostId)
                .map(MACHINE)
                .list());
    }

    @Override
    public List<Machine> all() {
        return session.read(h ->
                h.createQuery("SELECT * FROM machines ORDER BY id").map(MACHINE).list());
    }

    @Override
    public boolean updateSpec(long id, MachineSpec spec, Instant now) {
        return session.write(h -> {
            var update = h.createUpdate(UPDATE_SPEC).bind("id", id).bind("now", now.toEpochMilli());
            MachineColumns.bindSpec(update, spec);
            return update.execute() == 1;
        });
    }

    /** Unlisting clears the terms: a machine is listed exactly when it has terms. */
    @Override
    public boolean setListing(long id, Listing listing, Instant now) {
        return session.write(h -> {
            var update = h.createUpdate(SET_LISTING)
                    .bind("id", id)
                    .bind("listed", listing != null)
                    .bind("now", now.toEpochMilli());
            MachineColumns.bindListing(update, listing);
            return update.execute() == 1;
        });
    }

    @Override
    public boolean setVerification(long id, Verification verification, Instant now) {
        return session.write(
                h -> h.createUpdate("UPDATE machines SET verification = :v, updated_at = :now WHERE id = :id")
                                .bind("v", verification.wire())
                                .bind("now", now.toEpochMilli())
                                .bind("id", id)
                                .execute()
                        == 1);
    }

    @Override
    public boolean setReliability(long id, double reliability, Instant now) {
        return session.write(
                h -> h.createUpdate("UPDATE machines SET reliability = :r, updated_at = :now WHERE id = :id")
                                .bind("r", reliability)
                                .bind("now", now.toEpochMilli())
                                .bind("id", id)
                                .execute()
                        == 1);
    }

    /**
     * The rent race is decided here: the WHERE clause re-checks the expected count, so of two writers that read
     * the same count only the first changes the row; the second matches nothing and gets false. A
     * {@code newFree} outside 0..num_gpus is refused by the table's CHECK constraint (an exception, not false).
     */
    @Override
    public boolean compareAndSetFreeGpus(long id, int expectedFree, int newFree, Instant now) {
        return setFreeGpusIf(id, expectedFree, newFree, now).isPresent();
    }

    @Override
    public Optional<Machine> setFreeGpusIf(long id, int expectedFree, int newFree, Instant now) {
        return session.write(h -> h.createQuery("""
                        UPDATE machines SET free_gpus = :new, updated_at = :now
                        WHERE id = :id AND free_gpus = :expected RETURNING *""")
                .bind("new", newFree)
                .bind("now", now.toEpochMilli())
                .bind("id", id)
                .bind("expected", expectedFree)
                .map(MACHINE)
                .findOne());
    }

    @Override
    public boolean lock(long id) {
        return session.write(h -> h.createUpdate("UPDATE machines SET free_gpus = free_gpus WHERE id = :id")
                        .bind("id", id)
                        .execute()
                == 1);
    }

    /**
     * Only last_seen_at: a heartbeat is not a change of the machine (updated_at stays). A contact that ends a silence
     * longer than {@code unknownAfter} records it (from when the instances went unknown until now), so the meter
     * leaves that stretch out of GPU time whenever it meters it. Recorded at a fenced time (see {@link MeterFence}).
     */
    @Override
    public boolean touch(long id, Instant now, Duration unknownAfter) {
        return session.write(h -> {
            long at = MeterFence.at(h, session.dialect(), now);
            List<Long> found = h.createQuery("SELECT last_seen_at FROM machines WHERE id = :id")
                    .bind("id", id)
                    .map((rs, ctx) -> {
                        long v = rs.getLong(1);
                        return rs.wasNull() ? -1L : v;
                    })
                    .list();
            if (found.isEmpty()) return false;
            long last = found.get(0);
            long silentFrom = last + unknownAfter.toMillis();
            if (last >= 0 && at > silentFrom) {
                h.createUpdate("INSERT INTO machine_silences (machine_id, from_at, to_at) VALUES (:id, :from, :to)")
                        .bind("id", id)
                        .bind("from", silentFrom)
                        .bind("to", at)
                        .execute();
            }
            h.createUpdate("UPDATE machines SET last_seen_at = :at, first_seen_at = COALESCE(first_seen_at, :at)"
                            + " WHERE id = :id AND (last_seen_at IS NULL OR last_seen_at < :at)")
                    .bind("at", at)
                    .bind("id", id)
                    .execute();
            return true;
        });
    }

    /**
     * One flush of the heartbeats held in memory, in the caller's transaction or one of its own: the meter lock
     * (shared) and the watermark once, the stored last contacts of these machines in one read per chunk, the
     * silences in multi-row inserts and the new last contacts in one UPDATE per chunk.
     */
    @Override
    public int heard(
            java.util.function.Supplier<? extends java.util.Collection<io.gpumarket.store.Heard>> batch,
            Duration unknownAfter) {
        long ua = unknownAfter.toMillis();
        return session.write(h -> {
            long fence = MeterFence.chargedTo(h, session.dialect()) + 1;
            List<io.gpumarket.store.Heard> all = List.copyOf(batch.get());
            if (all.isEmpty()) return 0;
            Map<Long, Long> stored = new HashMap<>(); // -1: never heard from
            for (int from = 0; from < all.size(); from += CHUNK) {
                List<Long> ids = all.subList(from, Math.min(all.size(), from + CHUNK)).stream()
                        .map(io.gpumarket.store.Heard::machineId)
                        .toList();
                h.createQuery("SELECT id, last_seen_at FROM machines WHERE id IN (<ids>)")
                        .bindList("ids", ids)
                        .map((rs, ctx) -> {
                            long id = rs.getLong(1);
                            long v = rs.getLong(2);
                            stored.put(id, rs.wasNull() ? -1L : v); // wasNull speaks of the last column read
                            return 0;
                        })
                        .list();
            }
            List<long[]> silences = new ArrayList<>();
            List<long[]> seen = new ArrayList<>();
            for (io.gpumarket.store.Heard c : all) {
                Long last = stored.get(c.machineId());
                if (last == null) continue; // removed meanwhile
                long first = Math.max(c.first().toEpochMilli(), fence);
                if (last >= 0 && first > last + ua) silences.add(new long[] {c.machineId(), last + ua, first});
                for (Instant[] gap : c.gaps()) {
                    long before = Math.max(gap[0].toEpochMilli(), fence);
                    long after = Math.max(gap[1].toEpochMilli(), fence);
                    if (after > before + ua) silences.add(new long[] {c.machineId(), before + ua, after});
                }
                long at = Math.max(c.last().toEpochMilli(), fence);
                if (at > last) seen.add(new long[] {c.machineId(), first, at});
            }
            // rows updated in ascending id order, so that two flushes (the periodic one and the meter's, each in its
            // own
            // transaction) never wait on each other in a cycle: PostgreSQL found such a deadlock with 10,000 agents. A
            // flush that fails anyway is put back by LastSeen and written at the next one.
            seen.sort(java.util.Comparator.comparingLong(r -> r[0]));
            try {
                Rows.insert(
                        h.getConnection(),
                        "INSERT INTO machine_silences (machine_id, from_at, to_at) VALUES ",
                        "",
                        3,
                        silences,
                        (ps, i, r) -> {
                            ps.setLong(i, r[0]);
                            ps.setLong(i + 1, r[1]);
                            ps.setLong(i + 2, r[2]);
                        });
                // one UPDATE per chunk; both databases take UPDATE … FROM a VALUES list named by a CTE
                Rows.insert(
                        h.getConnection(),
                        "WITH v (id, first_at, at) AS (VALUES ",
                        ") UPDATE machines SET last_seen_at = v.at,"
                                + " first_seen_at = COALESCE(machines.first_seen_at, v.first_at) FROM v WHERE machines.id = v.id"
                                + " AND (machines.last_seen_at IS NULL OR machines.last_seen_at < v.at)",
                        3,
                        seen,
                        (ps, i, r) -> {
                            ps.setLong(i, r[0]);
                            ps.setLong(i + 1, r[1]);
                            ps.setLong(i + 2, r[2]);
                        });
            } catch (java.sql.SQLException e) {
                throw new org.jdbi.v3.core.statement.UnableToExecuteStatementException(e, null);
            }
            return silences.size();
        });
    }

    @Override
    public Map<Long, Instant> lastSeenAll() {
        Map<Long, Instant> out = new HashMap<>();
        session.read(h -> h.createQuery("SELECT id, last_seen_at FROM machines WHERE last_seen_at IS NOT NULL")
                .map((rs, ctx) -> {
                    out.put(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)));
                    return 0;
                })
                .list());
        return out;
    }

    @Override
    public Optional<Instant> lastSeen(long id) {
        return session.read(
                h -> h.createQuery("SELECT last_seen_at FROM machines WHERE id = :id AND last_seen_at IS NOT NULL")
                        .bind("id", id)
                        .mapTo(Long.class)
                        .findOne()
                        .map(Instant::ofEpochMilli));
    }

    @Override
    public Map<Long, HeartbeatHistory> histories(Instant since) {
        return session.read(h -> {
            Map<Long, List<HeartbeatHistory.Outage>> outages = new HashMap<>();
            h.createQuery(
                            "SELECT machine_id, from_at, to_at FROM machine_silences WHERE to_at > :since ORDER BY machine_id, from_at")
                    .bind("since", since.toEpochMilli())
                    .map((rs, ctx) -> new Object[] {
                        rs.getLong("machine_id"),
                        new HeartbeatHistory.Outage(Columns.instant(rs, "from_at"), Columns.instant(rs, "to_at"))
                    })
                    .forEach(row -> outages.computeIfAbsent((Long) row[0], k -> new ArrayList<>())
                            .add((HeartbeatHistory.Outage) row[1]));
            Map<Long, HeartbeatHistory> histories = new HashMap<>();
            h.createQuery("SELECT id, first_seen_at, last_seen_at FROM machines WHERE first_seen_at IS NOT NULL")
                    .map((rs, ctx) -> new Object[] {
                        rs.getLong("id"), Columns.instant(rs, "first_seen_at"), Columns.instant(rs, "last_seen_at")
                    })
                    .forEach(row -> histories.put(
                            (Long) row[0],
                            new HeartbeatHistory(
                                    (Instant) row[1],
                                    (Instant) row[2],
                                    outages.getOrDefault((Long) row[0], List.of()))));
            return histories;
        });
    }

    /**
     * One pass over the status changes since {@code since} (and a day before, so the change before the first one
     * in range is known), each paired with the one before it on the same instance.
     */
    @Override
    public Map<Long, List<HeartbeatHistory.Start>> starts(Instant since) {
        return session.read(h -> {
            Map<Long, List<HeartbeatHistory.Start>> starts = new HashMap<>();
            h.createQuery("""
                            SELECT machine_id, at, actual_status FROM (
                                SELECT i.machine_id, e.at, e.actual_status, e.host_fault,
                                       LAG(e.actual_status) OVER (PARTITION BY e.instance_id ORDER BY e.id) AS previous
                                FROM instance_events e JOIN instances i ON i.id = e.instance_id
                                WHERE e.at >= :lookback) changes
                            WHERE at >= :since
                              AND ((actual_status = 'running' AND (previous IS NULL OR previous <> 'running'))
                                OR (actual_status = 'exited' AND (previous IS NULL OR previous NOT IN ('running', 'exited'))
                                    AND (host_fault IS NULL OR host_fault)))
                            ORDER BY at""")
                    .bind("since", since.toEpochMilli())
                    .bind("lookback", since.toEpochMilli() - Duration.ofDays(1).toMillis())
                    .map((rs, ctx) -> new Object[] {
                        rs.getLong("machine_id"),
                        new HeartbeatHistory.Start(
                                Columns.instant(rs, "at"), "running".equals(rs.getString("actual_status")))
                    })
                    .forEach(row -> starts.computeIfAbsent((Long) row[0], k -> new ArrayList<>())
                            .add((HeartbeatHistory.Start) row[1]));
            return starts;
        });
    }

    @Override
    public boolean setRollingDuration(long id, Duration duration, Instant now) {
        return session.write(
                h -> h.createUpdate("UPDATE machines SET rolling_duration_s = :d, updated_at = :now WHERE id = :id")
                                .bind("d", duration == null ? null : duration.toSeconds())
                                .bind("now", now.toEpochMilli())
                                .bind("id", id)
                                .execute()
                        == 1);
    }

    @Override
    public Map<Long, Duration> rollingDurations() {
        Map<Long, Duration> out = new HashMap<>();
        session.read(h -> h.createQuery(
                                "SELECT id, rolling_duration_s FROM machines WHERE listed AND rolling_duration_s IS NOT NULL")
                        .map((rs, ctx) -> new long[] {rs.getLong("id"), rs.getLong("rolling_duration_s")})
                        .list())
                .forEach(row -> out.put(row[0], Duration.ofSeconds(row[1])));
        return out;
    }

    @Override
    public boolean setOrphans(long machineId, java.util.Collection<Long> instanceIds, Instant now) {
        return session.write(h -> {
            if (h.createQuery("SELECT count(*) FROM machines WHERE id = :id")
                            .bind("id", machineId)
                            .mapTo(Long.class)
                            .one()
                    == 0) {
                return false;
            }
            h.createUpdate("DELETE FROM machine_orphans WHERE machine_id = :id")
                    .bind("id", machineId)
                    .execute();
            for (long instance : new java.util.TreeSet<>(instanceIds)) {
                h.createUpdate("INSERT INTO machine_orphans (machine_id, instance_id, seen_at) VALUES (:m, :i, :now)")
                        .bind("m", machineId)
                        .bind("i", instance)
                        .bind("now", now.toEpochMilli())
                        .execute();
            }
            return true;
        });
    }

    @Override
    public io.gpumarket.store.AgentFleet fleet(int limit) {
        return session.read(h -> {
            Map<String, Machine> byToken = new java.util.LinkedHashMap<>();
            // never-heard machines last (both databases order false before true), then the newest contact first
            h.createQuery("SELECT * FROM machines ORDER BY (last_seen_at IS NULL), last_seen_at DESC, id LIMIT :n")
                    .bind("n", limit)
                    .map((rs, ctx) -> byToken.put(rs.getString("token_hash"), MACHINE.map(rs, ctx)))
                    .list();
            Map<Long, List<Long>> orphans = new HashMap<>();
            h.createQuery("SELECT machine_id, instance_id FROM machine_orphans ORDER BY machine_id, instance_id")
                    .map((rs, ctx) -> orphans.computeIfAbsent(rs.getLong(1), id -> new ArrayList<>())
                            .add(rs.getLong(2)))
                    .list();
            java.util.Set<Long> busy =
                    new java.util.HashSet<>(h.createQuery("SELECT machine_id FROM instances WHERE destroyed_at IS NULL"
                                    + " UNION SELECT machine_id FROM volumes WHERE deleted_at IS NULL")
                            .mapTo(Long.class)
                            .list());
            return new io.gpumarket.store.AgentFleet(byToken, orphans, busy);
        });
    }

    @Override
    public Map<Long, List<Long>> orphans(java.util.Collection<Long> machineIds) {
        Map<Long, List<Long>> out = new HashMap<>();
        if (machineIds.isEmpty()) return out;
        session.read(h -> h.createQuery(
                                "SELECT machine_id, instance_id FROM machine_orphans WHERE machine_id IN (<ids>)"
                                        + " ORDER BY machine_id, instance_id")
                        .bindList("ids", List.copyOf(new java.util.LinkedHashSet<>(machineIds)))
                        .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
                        .list())
                .forEach(row ->
                        out.computeIfAbsent(row[0], id -> new ArrayList<>()).add(row[1]));
        return out;
    }
}
