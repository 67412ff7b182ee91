package io.gpumarket.server.metrics;

import io.gpumarket.server.billing.Tick;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The meter's ticks as this process ran them: money moved (micro-dollars, exact: every amount is a whole number
 * far below 2^53), ticks by outcome and how long each took. The meter runs once across replicas (its lock), so the
 * replica that ticked counts; sum across replicas. The lag and the contracts set aside are read from the database
 * at scrape time ({@link MarketGauges}).
 */
public final class BillingMetrics {
    private final Counter charged;
    private final Counter earned;
    private final Counter fees;
    private final Timer ok;
    private final Timer failed;

    BillingMetrics(MeterRegistry registry) {
        this.charged = Counter.builder("gpumarket.billing.charged.microdollars")
                .description("micro-dollars charged to renters by meter ticks run in this process")
                .register(registry);
        this.earned = Counter.builder("gpumarket.billing.host.earned.microdollars")
                .description("micro-dollars credited to hosts by meter ticks run in this process, before the "
                        + "platform fee")
                .register(registry);
        this.fees = Counter.builder("gpumarket.billing.fees.microdollars")
                .description("micro-dollars of platform fee taken from hosts by meter ticks run in this process")
                .register(registry);
        this.ok = tickTimer(registry, "ok");
        this.failed = tickTimer(registry, "failed");
    }

    private static Timer tickTimer(MeterRegistry registry, String outcome) {
        return Timer.builder("gpumarket.meter.tick")
                .description("meter ticks run in this process and how long each took (lock, read, price, post)")
                .tag("outcome", outcome)
                .register(registry);
    }

    /** A tick committed after {@code nanos}. */
    public void ticked(Tick t, long nanos) {
        ok.record(nanos, TimeUnit.NANOSECONDS);
        charged.increment(t.charged());
        earned.increment(t.earned());
        fees.increment(t.fees());
    }

    /** A tick failed (rolled back whole) after {@code nanos}. */
    public void failed(long nanos) {
        failed.record(nanos, TimeUnit.NANOSECONDS);
    }
}
