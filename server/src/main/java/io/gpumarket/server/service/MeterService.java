package io.gpumarket.server.service;

import io.gpumarket.server.billing.Meter;
import io.gpumarket.server.billing.Tick;

/** One metering tick as the loop (or a test) runs it: charge, then act on the balances that leaves. */
public final class MeterService {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MeterService.class);

    private final Meter meter;
    private final CreditGuard guard;

    public MeterService(Meter meter, CreditGuard guard) {
        this.meter = meter;
        this.guard = guard;
    }

    public Tick tick() {
        Tick t = meter.tick();
        CreditGuard.Enforced e = guard.enforce(meter.payingOwners());
        if (e.stopped() > 0 || e.destroyed() > 0) {
            LOG.info(
                    "billing meter: {} instance(s) stopped, {} destroyed for lack of credit",
                    e.stopped(),
                    e.destroyed());
        }
        return new Tick(t.from(), t.to(), t.contracts(), t.postings(), t.charged(), e.stopped(), e.destroyed());
    }
}
