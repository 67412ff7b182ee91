package io.gpumarket.store;

import io.gpumarket.core.market.MarketSnapshot;
import io.gpumarket.core.market.Rental;
import io.gpumarket.core.market.Supply;
import java.time.Instant;
import java.util.List;

/** What the market metrics read (machines and live contracts) and keep (periodic snapshots, pruned). */
public interface MarketRepo {
    /** Every machine that is listed or has GPUs rented. */
    List<Supply> supply();

    /** Every live contract. */
    List<Rental> rentals();

    void addSnapshots(List<MarketSnapshot> rows);

    /** Snapshot rows taken in {@code [from, to]}, oldest first. */
    List<MarketSnapshot> snapshots(Instant from, Instant to);

    /** Deletes snapshot rows taken before {@code before}; how many. */
    int pruneSnapshots(Instant before);
}
