package io.gpumarket.server.metrics;

import io.gpumarket.server.market.MarketIndex;
import io.gpumarket.store.Store;
import io.gpumarket.store.jdbc.JdbcStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;

/**
 * Everything {@code /metrics} serves (docs/operations.md lists each metric): one Prometheus registry, the meters
 * the sync path and the meter count into ({@link AgentMetrics}, {@link BillingMetrics}), the store's transaction
 * timer, write queue and pools, the JVM's own, and the market read at scrape time ({@link MarketGauges}).
 */
public final class ServerMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AgentMetrics agents = new AgentMetrics(registry);
    private final BillingMetrics billing = new BillingMetrics(registry);
    private volatile MarketGauges market;

    public ServerMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public io.micrometer.core.instrument.MeterRegistry registry() {
        return registry;
    }

    public AgentMetrics agents() {
        return agents;
    }

    public BillingMetrics billing() {
        return billing;
    }

    /**
     * The store whose transactions are timed, with its write queue (SQLite's write gate; always 0 on PostgreSQL)
     * and its connection pools (HikariCP's own Micrometer metrics) registered.
     */
    public Store store(JdbcStore store) {
        Gauge.builder("gpumarket.store.writes.waiting", store, JdbcStore::writesWaiting)
                .description("write transactions queued for SQLite's one writer (the write gate) in this process; "
                        + "0 on PostgreSQL, whose pool metrics are hikaricp_connections_*")
                .register(registry);
        store.bindPoolMetrics(registry);
        return new TimedStore(store, transactionTimer("committed"), transactionTimer("failed"));
    }

    private Timer transactionTimer(String outcome) {
        return Timer.builder("gpumarket.store.transaction")
                .description("write transactions of this process, from the call (the write gate's wait included) "
                        + "to the commit or rollback")
                .tag("outcome", outcome)
                .register(registry);
    }

    /** The market's gauges, read from {@code store} (and this replica's index) at every scrape. */
    public void market(Store store, MarketIndex index, Clock clock, Duration silentAfter) {
        this.market = new MarketGauges(registry, store, index, clock, silentAfter);
    }

    /** The Prometheus text of every meter, the market read first. */
    public String scrape() {
        MarketGauges m = market;
        if (m != null) m.refresh();
        return registry.scrape();
    }
}
