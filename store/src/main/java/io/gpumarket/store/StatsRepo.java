package io.gpumarket.store;

import java.time.Instant;

/** Counts over the whole market for operators ({@code /metrics}); reads only. */
public interface StatsRepo {
    /**
     * The market now.
     *
     * @param silentBefore machines last heard before this instant count as silent
     */
    MarketStats market(Instant silentBefore);

    /**
     * The ledger's movements over [from, to] summed by kind across all accounts (micro-dollars, as posted: charges
     * and fees negative), for the operator's overview.
     */
    java.util.Map<String, Long> ledgerByKind(Instant from, Instant to);
}
