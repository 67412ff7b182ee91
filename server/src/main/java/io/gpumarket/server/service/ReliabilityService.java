package io.gpumarket.server.service;

import io.gpumarket.core.machine.HeartbeatHistory;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.machine.Reliability;
import io.gpumarket.core.machine.ReliabilityPolicy;
import io.gpumarket.server.market.MarketIndex;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Recomputes every machine's reliability from its heartbeat history, instance starts and the reports of its agent the
 * server did not believe (each counts as a failed start; {@link Reliability}) and
 * stores the ones that moved, refreshing their offers. Machines whose agent never synced are left alone: they keep
 * the starting value, or what an operator set. The upkeep loop calls this every interval; tests call it directly.
 */
public final class ReliabilityService {
    /** Smaller moves are not stored: the CLI shows reliability to a tenth of a percent, and offers need not churn. */
    static final double STEP = 1e-4;

    private final Store store;
    private final MarketIndex market;
    private final ReliabilityPolicy policy;
    private final Duration silentAfter;
    private final Clock clock;
    private final Runnable flushHeartbeats;

    /** @param flushHeartbeats writes the heartbeats held in memory, so the history read next has them all */
    public ReliabilityService(
            Store store,
            MarketIndex market,
            ReliabilityPolicy policy,
            Duration silentAfter,
            Clock clock,
            Runnable flushHeartbeats) {
        this.store = store;
        this.market = market;
        this.policy = policy;
        this.silentAfter = silentAfter;
        this.clock = clock;
        this.flushHeartbeats = flushHeartbeats;
    }

    public ReliabilityPolicy policy() {
        return policy;
    }

    /** How many machines' reliability changed. */
    public int refreshAll() {
        flushHeartbeats.run();
        Instant now = clock.instant();
        Instant since = now.minus(policy.window());
        Map<Long, HeartbeatHistory> histories = store.repos().machines().histories(since);
        Map<Long, List<HeartbeatHistory.Start>> starts =
                store.repos().machines().starts(since);
        Map<Long, List<Instant>> anomalies = store.repos().billing().anomalyTimes(since);
        Map<Long, Double> moved = new java.util.LinkedHashMap<>();
        for (Machine m : store.repos().machines().all()) {
            HeartbeatHistory h = histories.get(m.id());
            if (h == null) continue;
            List<HeartbeatHistory.Start> counted = Reliability.withImplausibleReports(
                    starts.getOrDefault(m.id(), List.of()), anomalies.getOrDefault(m.id(), List.of()));
            double r = Reliability.of(policy, h, counted, silentAfter, now);
            if (Math.abs(r - m.reliability()) >= STEP) moved.put(m.id(), r);
        }
        if (moved.isEmpty()) return 0;
        // one transaction for all of them: a fleet whose histories fill in after a start moves thousands at once, and
        // a commit each queued that many durable writes behind the agents' syncs at the write gate
        store.inTransaction(tx -> {
            moved.forEach((id, r) -> tx.machines().setReliability(id, r, now));
            return null;
        });
        moved.keySet().forEach(market::refresh);
        return moved.size();
    }
}
