package io.gpumarket.server.billing;

import io.gpumarket.core.billing.Charges;
import io.gpumarket.core.billing.ContractTerms;
import io.gpumarket.core.billing.Lifetime;
import io.gpumarket.core.billing.StatusChange;
import io.gpumarket.core.billing.TrafficSample;
import io.gpumarket.core.billing.UsageCursor;
import io.gpumarket.store.MeteredContract;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One contract as the meter holds it between ticks: its usage at the watermark (or at its creation, if later), what
 * that usage costs (what has been charged), and the status changes and traffic recorded since, not yet metered.
 */
final class MeteredInstance {
    private static final Comparator<StatusChange> CHANGE_ORDER =
            Comparator.comparing(StatusChange::at).thenComparingLong(StatusChange::id);
    private static final Comparator<TrafficSample> SAMPLE_ORDER =
            Comparator.comparing(TrafficSample::at).thenComparingLong(TrafficSample::id);

    final MeteredContract contract;
    final ContractTerms terms;
    final Account renter;
    final Account host;
    Lifetime life;
    UsageCursor cursor;
    /** Cumulative charges at the cursor (what has been charged), and the platform's cut of them. */
    Charges charged;

    long chargedFees;
    final List<StatusChange> pending = new ArrayList<>(0);
    final List<TrafficSample> pendingTraffic = new ArrayList<>(0);
    /**
     * The last tick planned (by number): where the cursor goes, and what it will then have charged. It takes effect
     * lazily, at the next plan after that tick committed, which saves a pass over every contract per tick.
     */
    long plannedTick;

    UsageCursor nextCursor;
    Charges nextCharged;
    long nextFees;

    MeteredInstance(MeteredContract contract, UsageCursor cursor, Charges charged, Account renter, Account host) {
        this.contract = contract;
        this.terms = contract.terms();
        this.life = contract.lifetime();
        this.cursor = cursor;
        this.charged = charged;
        this.chargedFees = terms.feePpm() == 0 ? 0 : terms.fees(charged).total();
        this.renter = renter;
        this.host = host;
    }

    void add(StatusChange c) {
        pending.add(c);
        if (pending.size() > 1) pending.sort(CHANGE_ORDER);
        if (StatusChange.DESTROYED.equals(c.status())) life = new Lifetime(life.created(), c.at());
    }

    void add(TrafficSample s) {
        pendingTraffic.add(s);
        if (pendingTraffic.size() > 1) pendingTraffic.sort(SAMPLE_ORDER);
    }

    /** Takes the planned cursor if its tick has committed; what it consumed is dropped. */
    void settle(long committedTick) {
        if (nextCursor == null || plannedTick > committedTick) return;
        Instant to = nextCursor.at();
        cursor = nextCursor;
        charged = nextCharged;
        chargedFees = nextFees;
        nextCursor = null;
        nextCharged = null;
        if (!pending.isEmpty()) pending.removeIf(c -> !c.at().isAfter(to));
        if (!pendingTraffic.isEmpty()) pendingTraffic.removeIf(s -> !s.at().isAfter(to));
    }
}
