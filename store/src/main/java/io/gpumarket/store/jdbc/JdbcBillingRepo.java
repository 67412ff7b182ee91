package io.gpumarket.store.jdbc;

import io.gpumarket.core.billing.Silence;
import io.gpumarket.core.billing.StatusChange;
import io.gpumarket.core.billing.TrafficClaims;
import io.gpumarket.core.billing.TrafficSample;
import io.gpumarket.core.instance.ContractPrices;
import io.gpumarket.store.BillingRepo;
import io.gpumarket.store.HostAnomaly;
import io.gpumarket.store.MeteredContract;
import io.gpumarket.store.Posting;
import io.gpumarket.store.SetAside;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * {@link BillingRepo} on {@code meter_state}, the ledger and balances, {@code instances} joined with their machines,
 * {@code instance_events}, {@code machine_silences} and {@code traffic_samples}. A tick reads in a few set-based
 * statements (never one per contract) and posts in two batches.
 */
final class JdbcBillingRepo implements BillingRepo {
    /** Ids per IN list: well below both databases' bind-parameter limits. */
    private static final int CHUNK = 900;

    private static final String CONTRACT_COLUMNS = """
            SELECT i.id, i.owner_id, i.machine_id, m.host_id, i.num_gpus, i.disk_gb, i.gpu_price_per_hour,
                   i.disk_price_per_gb_month, i.inet_up_price_per_gb, i.inet_down_price_per_gb, i.end_date,
                   i.platform_fee_ppm, i.created_at, i.destroyed_at, i.label
            FROM instances i JOIN machines m ON m.id = i.machine_id""";
    private static final String UNMETERED = "(i.destroyed_at IS NULL OR i.destroyed_at > :charged)";

    private static final RowMapper<MeteredContract> CONTRACT = (rs, ctx) -> new MeteredContract(
            rs.getLong("id"),
            rs.getLong("owner_id"),
            rs.getLong("machine_id"),
            rs.getLong("host_id"),
            rs.getInt("num_gpus"),
            rs.getDouble("disk_gb"),
            new ContractPrices(
                    rs.getLong("gpu_price_per_hour"),
                    rs.getLong("disk_price_per_gb_month"),
                    rs.getLong("inet_up_price_per_gb"),
                    rs.getLong("inet_down_price_per_gb"),
                    rs.getLong("end_date")),
            rs.getInt("platform_fee_ppm"),
            Columns.instant(rs, "created_at"),
            Columns.nullableInstant(rs, "destroyed_at"),
            rs.getString("label"));
    private static final RowMapper<StatusChange> CHANGE = (rs, ctx) -> new StatusChange(
            rs.getLong("id"),
            rs.getLong("instance_id"),
            Columns.instant(rs, "at"),
            rs.getString("actual_status"),
            nullableLong(rs, "gpu_price"));
    private static final RowMapper<Silence> SILENCE = (rs, ctx) -> new Silence(
            rs.getLong("id"), rs.getLong("machine_id"), Columns.instant(rs, "from_at"), Columns.instant(rs, "to_at"));
    private static final RowMapper<TrafficSample> SAMPLE = (rs, ctx) -> new TrafficSample(
            rs.getLong("id"),
            rs.getLong("instance_id"),
            Columns.instant(rs, "at"),
            rs.getLong("rx_bytes"),
            rs.getLong("tx_bytes"));

    private final Session session;

    private static Long nullableLong(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    JdbcBillingRepo(Session session) {
        this.session = session;
    }

    @Override
    public void lockMeter() {
        session.write(h -> {
            session.dialect().lockMeter(h, true);
            return null;
        });
    }

    @Override
    public Instant chargedTo() {
        return session.read(h -> Instant.ofEpochMilli(h.createQuery("SELECT charged_to FROM meter_state WHERE id = 1")
                .mapTo(Long.class)
                .one()));
    }

    /**
     * Bulk statements over the raw connection (the dialect's best form): a tick appends tens of thousands of rows,
     * and per-row statements (or JDBI's per-value argument binding) would cost more than the database's own work.
     */
    @Override
    public void post(Instant from, Instant to, List<Posting> postings) {
        session.write(h -> {
            int moved = h.createUpdate("UPDATE meter_state SET charged_to = :to WHERE id = 1 AND charged_to = :from")
                    .bind("to", to.toEpochMilli())
                    .bind("from", from.toEpochMilli())
                    .execute();
            if (moved != 1) {
                throw new IllegalStateException("the meter's watermark is no longer at " + from
                        + " (another meter ticked); this tick is rolled back");
            }
            Map<Long, Long> byUser = new TreeMap<>();
            for (Posting p : postings) byUser.merge(p.userId(), p.amount(), Math::addExact);
            try {
                session.dialect().appendEntries(h.getConnection(), postings, to.toEpochMilli());
                // In user order: transfers lock balances in that order too, so the two never deadlock.
                session.dialect().addToBalances(h.getConnection(), List.copyOf(byUser.entrySet()));
            } catch (SQLException e) {
                throw new org.jdbi.v3.core.statement.UnableToExecuteStatementException(e, null);
            }
            return null;
        });
    }

    @Override
    public List<MeteredContract> contractsAfter(long afterId) {
        return session.read(h -> h.createQuery(CONTRACT_COLUMNS + " WHERE i.id > :after ORDER BY i.id")
                .bind("after", afterId)
                .map(CONTRACT)
                .list());
    }

    @Override
    public List<MeteredContract> unmetered(Instant chargedTo) {
        return session.read(h -> h.createQuery(CONTRACT_COLUMNS + " WHERE " + UNMETERED + " ORDER BY i.id")
                .bind("charged", chargedTo.toEpochMilli())
                .map(CONTRACT)
                .list());
    }

    @Override
    public List<MeteredContract> contractsOfOwner(long ownerId, Instant from, Instant to) {
        return session.read(h -> h.createQuery(CONTRACT_COLUMNS + " WHERE i.owner_id = :owner AND i.created_at <= :to"
                        + " AND (i.destroyed_at IS NULL OR i.destroyed_at >= :from) ORDER BY i.id")
                .bind("owner", ownerId)
                .bind("from", from.toEpochMilli())
                .bind("to", to.toEpochMilli())
                .map(CONTRACT)
                .list());
    }

    @Override
    public List<MeteredContract> contractsOfHost(long hostId, Long machineId, Instant from, Instant to) {
        return session.read(h -> h.createQuery(
                        CONTRACT_COLUMNS + " WHERE m.host_id = :host"
                                + (machineId == null ? "" : " AND i.machine_id = :machine")
                                + " AND i.created_at <= :to AND (i.destroyed_at IS NULL OR i.destroyed_at >= :from) ORDER BY i.id")
                .bind("host", hostId)
                .bind("machine", machineId)
                .bind("from", from.toEpochMilli())
                .bind("to", to.toEpochMilli())
                .map(CONTRACT)
                .list());
    }

    @Override
    public List<StatusChange> changesAfter(long afterId) {
        return session.read(
                h -> h.createQuery("SELECT id, instance_id, at, actual_status, gpu_price FROM instance_events"
                                + " WHERE id > :after ORDER BY id")
                        .bind("after", afterId)
                        .map(CHANGE)
                        .list());
    }

    @Override
    public List<StatusChange> changesOf(Collection<Long> instanceIds) {
        return chunked(
                instanceIds,
                ids -> session.read(h -> h.createQuery("SELECT id, instance_id, at, actual_status,"
                                + " gpu_price FROM instance_events WHERE instance_id IN (<ids>) ORDER BY id")
                        .bindList("ids", ids)
                        .map(CHANGE)
                        .list()));
    }

    @Override
    public List<StatusChange> changesOfUnmetered(Instant chargedTo) {
        return session.read(h -> h.createQuery(
                        "SELECT e.id, e.instance_id, e.at, e.actual_status, e.gpu_price FROM instance_events e"
                                + " JOIN instances i ON i.id = e.instance_id WHERE " + UNMETERED + " ORDER BY e.id")
                .bind("charged", chargedTo.toEpochMilli())
                .map(CHANGE)
                .list());
    }

    @Override
    public List<Silence> silencesAfter(long afterId) {
        return session.read(h -> h.createQuery("SELECT * FROM machine_silences WHERE id > :after ORDER BY id")
                .bind("after", afterId)
                .map(SILENCE)
                .list());
    }

    @Override
    public List<Silence> silencesOf(Collection<Long> machineIds) {
        return chunked(
                machineIds,
                ids -> session.read(
                        h -> h.createQuery("SELECT * FROM machine_silences WHERE machine_id IN (<ids>) ORDER BY id")
                                .bindList("ids", ids)
                                .map(SILENCE)
                                .list()));
    }

    @Override
    public List<Silence> silencesEndingAfter(Instant t) {
        return session.read(h -> h.createQuery("SELECT * FROM machine_silences WHERE to_at > :t ORDER BY id")
                .bind("t", t.toEpochMilli())
                .map(SILENCE)
                .list());
    }

    @Override
    public List<TrafficSample> trafficAfter(long afterId) {
        return session.read(h -> h.createQuery("SELECT * FROM traffic_samples WHERE id > :after ORDER BY id")
                .bind("after", afterId)
                .map(SAMPLE)
                .list());
    }

    @Override
    public List<TrafficSample> trafficOf(Collection<Long> instanceIds) {
        return chunked(
                instanceIds,
                ids -> session.read(
                        h -> h.createQuery("SELECT * FROM traffic_samples WHERE instance_id IN (<ids>) ORDER BY id")
                                .bindList("ids", ids)
                                .map(SAMPLE)
                                .list()));
    }

    @Override
    public List<TrafficSample> trafficOfUnmetered(Instant chargedTo) {
        return session.read(
                h -> h.createQuery("SELECT t.* FROM traffic_samples t JOIN instances i ON i.id = t.instance_id"
                                + " WHERE " + UNMETERED + " ORDER BY t.id")
                        .bind("charged", chargedTo.toEpochMilli())
                        .map(SAMPLE)
                        .list());
    }

    @Override
    public Map<Long, Instant> contactsBefore(Instant before) {
        return session.read(h -> {
            Map<Long, Instant> out = new HashMap<>();
            h.createQuery("SELECT id, last_seen_at FROM machines WHERE last_seen_at IS NULL OR last_seen_at < :before")
                    .bind("before", before.toEpochMilli())
                    .map((rs, ctx) -> {
                        Instant seen = Columns.nullableInstant(rs, "last_seen_at");
                        out.put(rs.getLong("id"), seen == null ? Instant.EPOCH : seen);
                        return null;
                    })
                    .list();
            return out;
        });
    }

    @Override
    public Map<Long, Instant> contacts(Collection<Long> machineIds) {
        Map<Long, Instant> out = new HashMap<>();
        chunked(
                machineIds,
                ids -> session.read(h -> h.createQuery(
                                "SELECT id, last_seen_at FROM machines WHERE id IN (<ids>) AND last_seen_at IS NOT NULL")
                        .bindList("ids", ids)
                        .map((rs, ctx) -> {
                            out.put(rs.getLong("id"), Columns.instant(rs, "last_seen_at"));
                            return 0;
                        })
                        .list()));
        return out;
    }

    @Override
    public Map<Long, Long> balances() {
        return session.read(h -> {
            Map<Long, Long> out = new HashMap<>();
            h.createQuery("SELECT user_id, balance FROM account_balances")
                    .map((rs, ctx) -> {
                        out.put(rs.getLong(1), rs.getLong(2));
                        return 0;
                    })
                    .list();
            return out;
        });
    }

    /**
     * Counters that went down within one run (an agent restarted its counting) are taken as a fresh count, like a new
     * run: bytes are never subtracted.
     */
    @Override
    public boolean recordTraffic(
            long instanceId, long machineId, Instant runStartedAt, long runRx, long runTx, Instant now) {
        if (runRx < 0 || runTx < 0) throw new IllegalArgumentException("byte counters cannot be negative");
        return session.write(h -> {
            long at = MeterFence.at(h, session.dialect(), now);
            List<double[]> contract = h.createQuery("SELECT i.created_at, m.inet_up, m.inet_down FROM instances i"
                            + " JOIN machines m ON m.id = i.machine_id"
                            + " WHERE i.id = :id AND i.machine_id = :machine AND i.destroyed_at IS NULL")
                    .bind("id", instanceId)
                    .bind("machine", machineId)
                    .map((rs, ctx) -> new double[] {rs.getLong(1), rs.getDouble(2), rs.getDouble(3)})
                    .list();
            if (contract.isEmpty()) return false;
            List<long[]> last = h.createQuery(
                            "SELECT run_started_at, run_rx_bytes, run_tx_bytes, rx_bytes, tx_bytes, at"
                                    + " FROM traffic_samples WHERE instance_id = :id ORDER BY id DESC LIMIT 1")
                    .bind("id", instanceId)
                    .map((rs, ctx) -> new long[] {
                        rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)
                    })
                    .list();
            long run = runStartedAt.toEpochMilli();
            long totalRx = 0;
            long totalTx = 0;
            long since = (long) contract.get(0)[0];
            TrafficClaims.RunCounters before = TrafficClaims.RunCounters.NEW_RUN;
            boolean sameRun = !last.isEmpty() && last.get(0)[0] == run;
            if (!last.isEmpty()) {
                long[] l = last.get(0);
                totalRx = l[3];
                totalTx = l[4];
                since = Math.max(since, l[5]);
                if (sameRun) {
                    if (l[1] == runRx && l[2] == runTx) return false;
                    before = new TrafficClaims.RunCounters(l[1], l[2]);
                }
            }
            // A run that has not moved yet needs no sample: its first one counts from zero anyway.
            if (!sameRun && runRx == 0 && runTx == 0) return false;
            // The counters are the host's claim: only what the machine's link could carry since the last sample is
            // billed (docs/billing.md, "Traffic claims"); the rest is recorded against the machine.
            TrafficClaims.Verdict v = TrafficClaims.check(
                    before, runRx, runTx, Math.max(0, at - since), contract.get(0)[1], contract.get(0)[2]);
            for (TrafficClaims.Finding f : v.findings()) HostAnomalies.record(h, machineId, instanceId, f, at);
            h.createUpdate("INSERT INTO traffic_samples (instance_id, at, run_started_at, run_rx_bytes, run_tx_bytes,"
                            + " rx_bytes, tx_bytes) VALUES (:id, :at, :run, :run_rx, :run_tx, :rx, :tx)")
                    .bind("id", instanceId)
                    .bind("at", at)
                    .bind("run", run)
                    .bind("run_rx", runRx)
                    .bind("run_tx", runTx)
                    .bind("rx", saturated(totalRx, v.rxBytes()))
                    .bind("tx", saturated(totalTx, v.txBytes()))
                    .execute();
            return true;
        });
    }

    /**
     * Lifetime totals stop at the largest long instead of failing the agent's sync: a contract that reaches it
     * cannot be priced, and the meter sets it aside.
     */
    private static long saturated(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    @Override
    public List<HostAnomaly> anomalies(Instant since, int limit) {
        return session.read(h -> HostAnomalies.since(h, since, limit));
    }

    @Override
    public Map<Long, List<Instant>> anomalyTimes(Instant since) {
        return session.read(h -> HostAnomalies.times(h, since));
    }

    @Override
    public Map<Long, Integer> anomalyCounts(Collection<Long> machineIds) {
        Map<Long, Integer> out = new HashMap<>();
        chunked(machineIds, ids -> {
            out.putAll(session.read(h -> HostAnomalies.counts(h, ids)));
            return List.of();
        });
        return out;
    }

    @Override
    public boolean setAside(long instanceId, Instant at, Instant chargedTo, String reason) {
        return session.write(h -> SetAsideRows.insert(h, instanceId, at, chargedTo, reason));
    }

    @Override
    public List<SetAside> setAside() {
        return session.read(SetAsideRows::all);
    }

    private static <T> List<T> chunked(Collection<Long> ids, Function<List<Long>, List<T>> query) {
        if (ids.isEmpty()) return List.of();
        List<Long> all = List.copyOf(new java.util.LinkedHashSet<>(ids));
        List<T> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += CHUNK)
            out.addAll(query.apply(all.subList(i, Math.min(all.size(), i + CHUNK))));
        return out;
    }
}
