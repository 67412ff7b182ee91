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
}
