package io.gpumarket.store.jdbc;

import io.gpumarket.store.MarketStats;
import io.gpumarket.store.StatsRepo;
import java.time.Instant;

/**
 * {@link StatsRepo}: a handful of grouped statements on one reader connection (machines by listing and verification,
 * GPUs by model, live instances by status, balances, set-aside contracts, the meter's watermark, silent machines,
 * host anomalies). Each is one pass over its table; a scrape every 15 s costs a few of these, nothing per request.
 */
final class JdbcStatsRepo implements StatsRepo {
    private final Session session;

    JdbcStatsRepo(Session session) {
        this.session = session;
    }

    @Override
    public MarketStats market(Instant silentBefore) {
        return session.read(h -> {
            var machines = h.createQuery("SELECT listed, verification, COUNT(*) AS n FROM machines"
                            + " GROUP BY listed, verification ORDER BY listed, verification")
                    .map((rs, ctx) -> new MarketStats.MachineCount(
                            rs.getBoolean("listed"), rs.getString("verification"), rs.getLong("n")))
                    .list();
            var gpus = h.createQuery("SELECT gpu_name,"
                            + " SUM(CASE WHEN listed THEN num_gpus ELSE 0 END) AS listed_gpus,"
                            + " SUM(num_gpus - free_gpus) AS rented_gpus,"
                            + " SUM(CASE WHEN listed THEN free_gpus ELSE 0 END) AS idle_gpus"
                            + " FROM machines GROUP BY gpu_name ORDER BY gpu_name")
                    .map((rs, ctx) -> new MarketStats.GpuCount(
                            rs.getString("gpu_name"),
                            rs.getLong("listed_gpus"),
                            rs.getLong("rented_gpus"),
                            rs.getLong("idle_gpus")))
                    .list();
            var instances = h.createQuery("SELECT actual_status, COUNT(*) AS n FROM instances"
                            + " WHERE destroyed_at IS NULL GROUP BY actual_status ORDER BY actual_status")
                    .map((rs, ctx) -> new MarketStats.InstanceCount(rs.getString("actual_status"), rs.getLong("n")))
                    .list();
            long[] balances = h.createQuery("SELECT"
                            + " COALESCE(SUM(CASE WHEN balance > 0 THEN balance ELSE 0 END), 0) AS credit,"
                            + " COALESCE(SUM(CASE WHEN balance < 0 THEN -balance ELSE 0 END), 0) AS debt"
                            + " FROM account_balances")
                    .map((rs, ctx) -> new long[] {rs.getLong("credit"), rs.getLong("debt")})
                    .one();
            long setAside = h.createQuery("SELECT COUNT(*) FROM contracts_set_aside")
                    .mapTo(Long.class)
                    .one();
            long chargedTo = h.createQuery("SELECT charged_to FROM meter_state WHERE id = 1")
                    .mapTo(Long.class)
                    .one();
            long silent = h.createQuery("SELECT COUNT(*) FROM machines WHERE last_seen_at IS NOT NULL"
                            + " AND last_seen_at < :before")
                    .bind("before", silentBefore.toEpochMilli())
                    .mapTo(Long.class)
                    .one();
            long anomalies = h.createQuery("SELECT COALESCE(SUM(times), 0) FROM host_anomalies")
                    .mapTo(Long.class)
                    .one();
            return new MarketStats(
                    machines,
                    gpus,
                    instances,
                    balances[0],
                    balances[1],
                    setAside,
                    Instant.ofEpochMilli(chargedTo),
                    silent,
                    anomalies);
        });
    }

    @Override
    public java.util.Map<String, Long> ledgerByKind(Instant from, Instant to) {
        return session.read(h -> {
            java.util.Map<String, Long> out = new java.util.TreeMap<>();
            h.createQuery(
                            "SELECT kind, SUM(amount) AS total FROM ledger WHERE created_at >= :from AND created_at <= :to"
                                    + " GROUP BY kind")
                    .bind("from", from.toEpochMilli())
                    .bind("to", to.toEpochMilli())
                    .map((rs, ctx) -> {
                        out.put(rs.getString("kind"), rs.getLong("total"));
                        return 0;
                    })
                    .list();
            return out;
        });
    }
}
