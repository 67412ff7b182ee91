package io.gpumarket.server.metrics;

import io.gpumarket.server.market.MarketIndex;
import io.gpumarket.store.MarketStats;
import io.gpumarket.store.Store;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The market's health, read from the database when {@code /metrics} is scraped ({@link #refresh}: a few grouped
 * statements, {@code StatsRepo}) and from this replica's offer index; nothing is counted on a request path. What
 * the database holds is the whole market, so these are the same on every replica (scrape one, or take {@code max}
 * across them, never {@code sum}); the offer count is this replica's index, which follows the database.
 */
final class MarketGauges {
    private final Store store;
    private final Clock clock;
    private final Duration silentAfter;
    private final MultiGauge machines;
    private final MultiGauge gpus;
    private final MultiGauge instances;
    private volatile MarketStats last;

    MarketGauges(MeterRegistry registry, Store store, MarketIndex market, Clock clock, Duration silentAfter) {
        this.store = store;
        this.clock = clock;
        this.silentAfter = silentAfter;
        this.machines = MultiGauge.builder("gpumarket.machines")
                .description("machines by listing and verification (market-wide, from the database)")
                .register(registry);
        this.gpus = MultiGauge.builder("gpumarket.gpus")
                .description("GPUs by model: listed (on listed machines), rented (under contract), idle (listed and "
                        + "free) (market-wide, from the database)")
                .register(registry);
        this.instances = MultiGauge.builder("gpumarket.instances")
                .description("live instances by the actual_status their agent last reported, none before its first "
                        + "report (market-wide, from the database)")
                .register(registry);
        Gauge.builder("gpumarket.offers", market, m -> m.snapshot().size())
                .description("offers in this replica's search index (bundles of free GPUs on listed machines)")
                .register(registry);
        Gauge.builder("gpumarket.credit.outstanding.microdollars", this, g -> g.stat(MarketStats::creditOutstanding))
                .description("micro-dollars of positive balances: credit users can still spend (market-wide)")
                .register(registry);
        Gauge.builder("gpumarket.debt.outstanding.microdollars", this, g -> g.stat(MarketStats::debtOutstanding))
                .description("micro-dollars owed by accounts below zero (market-wide)")
                .register(registry);
        Gauge.builder("gpumarket.billing.contracts.set_aside", this, g -> g.stat(MarketStats::setAside))
                .description("contracts the meter could not price and set aside (market-wide; gpumarket admin "
                        + "anomalies lists them)")
                .register(registry);
        Gauge.builder("gpumarket.meter.lag.seconds", this, MarketGauges::lagSeconds)
                .description("seconds from the meter's watermark (charged up to) to now: a little over the meter "
                        + "interval when it keeps up; NaN before its first tick (market-wide)")
                .register(registry);
        Gauge.builder("gpumarket.agents.silent", this, g -> g.stat(MarketStats::silentHosts))
                .description("machines heard from before but silent for longer than the unknown threshold "
                        + "(market-wide, from contacts flushed every 5 s)")
                .register(registry);
        FunctionCounter.builder("gpumarket.agent.reports.implausible", this, g -> g.stat(MarketStats::hostAnomalies))
                .description("host claims found implausible (traffic beyond the link, counters going back) and "
                        + "billed only as far as plausible, repeats included (market-wide, durable)")
                .register(registry);
    }

    /** Reads the market now and sets the gauges; called by the scrape, before the registry is written out. */
    void refresh() {
        MarketStats s = store.repos().stats().market(clock.instant().minus(silentAfter));
        List<MultiGauge.Row<?>> m = new ArrayList<>();
        for (var c : s.machines()) {
            m.add(MultiGauge.Row.of(
                    Tags.of("listed", Boolean.toString(c.listed()), "verification", c.verification()), c.count()));
        }
        machines.register(m, true);
        List<MultiGauge.Row<?>> g = new ArrayList<>();
        for (var c : s.gpus()) {
            g.add(MultiGauge.Row.of(Tags.of("model", c.model(), "state", "listed"), c.listed()));
            g.add(MultiGauge.Row.of(Tags.of("model", c.model(), "state", "rented"), c.rented()));
            g.add(MultiGauge.Row.of(Tags.of("model", c.model(), "state", "idle"), c.idle()));
        }
        gpus.register(g, true);
        List<MultiGauge.Row<?>> i = new ArrayList<>();
        for (var c : s.instances()) {
            i.add(MultiGauge.Row.of(
                    Tags.of("actual_status", c.actualStatus() == null ? "none" : c.actualStatus()), c.count()));
        }
        instances.register(i, true);
        last = s;
    }

    private double stat(java.util.function.ToLongFunction<MarketStats> f) {
        MarketStats s = last;
        return s == null ? Double.NaN : f.applyAsLong(s);
    }

    private double lagSeconds() {
        MarketStats s = last;
        if (s == null || s.chargedTo().equals(Instant.EPOCH)) return Double.NaN;
        return Duration.between(s.chargedTo(), clock.instant()).toMillis() / 1000.0;
    }
}
