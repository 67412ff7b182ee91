package io.gpumarket.server.service;

import io.gpumarket.server.billing.Meter;
import io.gpumarket.server.billing.Tick;
import io.gpumarket.server.metrics.BillingMetrics;

/** One metering tick as the loop (or a test) runs it: charge, then act on the balances that leaves. */
public final class MeterService {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MeterService.class);

    private final Meter meter;
    private final CreditGuard guard;
    private final BillingMetrics metrics;

    public MeterService(Meter meter, CreditGuard guard, BillingMetrics metrics) {
        this.meter = meter;
        this.guard = guard;
        this.metrics = metrics;
    }

    public Tick tick() {
        long start = System.nanoTime();
        Tick t;
        try {
            t = meter.tick();
        } catch (RuntimeException e) {
            metrics.failed(System.nanoTime() - start);
            throw e;
        }
        metrics.ticked(t, System.nanoTime() - start);
        CreditGuard.Enforced e = guard.enforce(meter.payingOwners());
        if (e.stopped() > 0 || e.destroyed() > 0) {
            LOG.info(
                    "billing meter: {} instance(s) stopped, {} destroyed for lack of credit",
                    e.stopped(),
                    e.destroyed());
        }
        return new Tick(
                t.from(),
                t.to(),
                t.contracts(),
                t.postings(),
                t.charged(),
                t.earned(),
                t.fees(),
                e.stopped(),
                e.destroyed());
    }
}
