package io.gpumarket.server.service;

import io.gpumarket.server.billing.Meter;
import io.gpumarket.server.billing.Tick;

/** One metering tick as the loop (or a test) runs it: charge, then act on the balances that leaves. */
public final class MeterService {
    private final Meter meter;
    private final CreditGuard guard;

    public MeterService(Meter meter, CreditGuard guard) {
        this.meter = meter;
        this.guard = guard;
    }

    public Tick tick() {
        Tick t = meter.tick();
        CreditGuard.Enforced e = guard.enforce(meter.payingOwners());
        return new Tick(t.from(), t.to(), t.contracts(), t.postings(), t.charged(), e.stopped(), e.destroyed());
    }
}
