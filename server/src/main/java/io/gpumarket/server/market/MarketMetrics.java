package io.gpumarket.server.market;

import io.gpumarket.core.catalog.GpuCatalog;
import io.gpumarket.core.catalog.GpuModel;
import io.gpumarket.core.market.MarketFilter;
import io.gpumarket.core.market.MarketSnapshot;
import io.gpumarket.core.market.MarketView;
import io.gpumarket.core.market.Supply;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The market metrics ({@code /api/v0/metrics/gpu/…}, docs/webhooks.md "Market metrics"): "current" is computed from
 * the machines and live contracts at the moment asked, history from the snapshots the snapshot loop keeps (one every
 * interval, pruned past the retention), both grouped by the same {@link MarketView#snapshot}.
 */
public final class MarketMetrics {
    /** At most this many points per series: a longer range gets a bigger step (as vastai's help says). */
    public static final int MAX_POINTS = 500;

    private final Store store;
    private final GpuCatalog catalog;
    private final Duration retention;
    private final Clock clock;

    public MarketMetrics(Store store, GpuCatalog catalog, Duration retention, Clock clock) {
        this.store = store;
        this.catalog = catalog;
        this.retention = retention;
        this.clock = clock;
    }

    public List<MarketView.Figures> current(MarketFilter filter) {
        return MarketView.figures(now(clock.instant()), filter);
    }

    public List<MarketView.Series> history(
            MarketFilter filter, Set<String> names, Instant from, Instant to, Duration step) {
        return MarketView.history(store.repos().market().snapshots(from, to), filter, names, from, step);
    }

    public List<Supply> locations() {
        return store.repos().market().supply();
    }

    public Instant now() {
        return clock.instant();
    }

    /** The catalogue's figures of a model, if it knows it. */
    public java.util.Optional<GpuModel> model(String name) {
        return catalog.find(name);
    }

    /** Keeps a snapshot of the market now and drops those past the retention; how many rows were kept. */
    public int snapshot() {
        Instant now = clock.instant();
        List<MarketSnapshot> rows = now(now);
        store.repos().market().addSnapshots(rows);
        store.repos().market().pruneSnapshots(now.minus(retention));
        return rows.size();
    }

    private List<MarketSnapshot> now(Instant now) {
        return MarketView.snapshot(
                store.repos().market().supply(), store.repos().market().rentals(), now);
    }
}
