package io.gpumarket.store.jdbc;

import io.gpumarket.core.market.MarketSnapshot;
import io.gpumarket.core.market.Rental;
import io.gpumarket.core.market.Supply;
import io.gpumarket.store.MarketRepo;
import java.time.Instant;
import java.util.List;

/** {@link MarketRepo} on {@code machines}, {@code instances} and {@code market_snapshots}. */
final class JdbcMarketRepo implements MarketRepo {
    private final Session session;

    JdbcMarketRepo(Session session) {
        this.session = session;
    }

    @Override
    public List<Supply> supply() {
        // rented: GPUs no longer free; available: free GPUs of a listed machine (an unlisted machine offers none)
        return session.read(h -> h.createQuery("SELECT id, gpu_name, num_gpus, free_gpus, listed, gpu_price_per_hour,"
                        + " verification, datacenter, geolocation FROM machines"
                        + " WHERE listed OR free_gpus < num_gpus ORDER BY id")
                .map((rs, ctx) -> {
                    boolean listed = rs.getBoolean("listed");
                    long price = rs.getLong("gpu_price_per_hour");
                    Long listedPrice = listed && !rs.wasNull() ? price : null;
                    int free = rs.getInt("free_gpus");
                    int gpus = rs.getInt("num_gpus");
                    return new Supply(
                            rs.getLong("id"),
                            rs.getString("gpu_name"),
                            gpus,
                            gpus - free,
                            listed ? free : 0,
                            listedPrice,
                            "verified".equals(rs.getString("verification")),
                            rs.getBoolean("datacenter"),
                            rs.getString("geolocation"));
                })
                .list());
    }

    @Override
    public List<Rental> rentals() {
        return session.read(h -> h.createQuery(
                        "SELECT machine_id, num_gpus, gpu_price_per_hour FROM instances WHERE destroyed_at IS NULL")
                .map((rs, ctx) ->
                        new Rental(rs.getLong("machine_id"), rs.getInt("num_gpus"), rs.getLong("gpu_price_per_hour")))
                .list());
    }

    @Override
    public void addSnapshots(List<MarketSnapshot> rows) {
        if (rows.isEmpty()) return;
        session.write(h -> {
            var batch = h.prepareBatch("INSERT INTO market_snapshots (taken_at, gpu_name, verified, datacenter,"
                    + " gpus_per_machine, rented, available, rented_prices, avail_prices) VALUES (:at, :name,"
                    + " :verified, :datacenter, :bucket, :rented, :available, :rentedPrices, :availPrices)");
            for (MarketSnapshot s : rows)
                batch.bind("at", s.takenAt().toEpochMilli())
                        .bind("name", s.gpuName())
                        .bind("verified", s.verified())
                        .bind("datacenter", s.datacenter())
                        .bind("bucket", s.bucket())
                        .bind("rented", s.rented())
                        .bind("available", s.available())
                        .bind("rentedPrices", s.rentedPrices())
                        .bind("availPrices", s.availPrices())
                        .add();
            batch.execute();
            return null;
        });
    }

    @Override
    public List<MarketSnapshot> snapshots(Instant from, Instant to) {
        return session.read(h -> h.createQuery("SELECT taken_at, gpu_name, verified, datacenter, gpus_per_machine,"
                        + " rented, available, rented_prices, avail_prices FROM market_snapshots"
                        + " WHERE taken_at >= :from AND taken_at <= :to ORDER BY taken_at, gpu_name")
                .bind("from", from.toEpochMilli())
                .bind("to", to.toEpochMilli())
                .map((rs, ctx) -> new MarketSnapshot(
                        Columns.instant(rs, "taken_at"),
                        rs.getString("gpu_name"),
                        rs.getBoolean("verified"),
                        rs.getBoolean("datacenter"),
                        rs.getInt("gpus_per_machine"),
                        rs.getInt("rented"),
                        rs.getInt("available"),
                        rs.getString("rented_prices"),
                        rs.getString("avail_prices")))
                .list());
    }

    @Override
    public int pruneSnapshots(Instant before) {
        return session.write(h -> h.createUpdate("DELETE FROM market_snapshots WHERE taken_at < :before")
                .bind("before", before.toEpochMilli())
                .execute());
    }
}
