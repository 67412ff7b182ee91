package io.gpumarket.server.service;

import io.gpumarket.core.bid.Arbitration;
import io.gpumarket.core.bid.BidPhases;
import io.gpumarket.core.bid.BidState;
import io.gpumarket.core.bid.Claim;
import io.gpumarket.core.bid.Verdict;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.core.instance.IntendedStatus;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.server.agent.MachineRevisions;
import io.gpumarket.server.market.MarketIndex;
import io.gpumarket.store.Repos;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies the arbitration rule ({@link Arbitration}, docs/bids.md) to one machine's contracts and writes each bid's
 * new {@link BidState}: who holds the GPUs, who is preempted (with the reason), who waits. Every change of a
 * machine's claims (renting, starting, stopping, destroying, changing a bid) re-arbitrates inside its own
 * transaction, so the outcome commits with the change that caused it; the agent then hears the desired state
 * through the machine's revision, like any other server-initiated change (as {@link CreditGuard} stops instances).
 * A configurable notice window keeps a losing bid running (and told) for a while first; {@link #expireNotices} ends
 * the notices that ran out.
 */
public final class BidArbiter {
    private final Store store;
    private final MarketIndex market;
    private final MachineRevisions revisions;
    private final Duration notice;
    private final Clock clock;

    public BidArbiter(Store store, MarketIndex market, MachineRevisions revisions, Duration notice, Clock clock) {
        if (notice == null || notice.isNegative())
            throw new IllegalArgumentException("preemption notice must be >= 0, got " + notice);
        this.store = store;
        this.market = market;
        this.revisions = revisions;
        this.notice = notice;
        this.clock = clock;
    }

    public Duration notice() {
        return notice;
    }

    /**
     * Re-decides the machine inside the caller's transaction (the machine row locked first, as every writer of its
     * GPUs takes it). Returns the instances whose state changed; the caller bumps the machine's revision after commit.
     */
    public List<Instance> arbitrate(Repos tx, long machineId, Instant now) {
        if (!tx.machines().lock(machineId)) return List.of();
        Machine m = tx.machines().find(machineId).orElseThrow();
        return decide(tx, m, tx.instances().liveOnMachine(machineId), now).changed();
    }

    /**
     * What a re-decision left.
     *
     * @param changed the contracts whose state it changed, as they were
     * @param live    every live contract of the machine with its new bid state (what the offer index needs of them)
     */
    public record Outcome(List<Instance> changed, List<Instance> live) {}

    /** Re-decides from the machine row and live contracts the transaction already holds; writes the new bid states. */
    private Outcome decide(Repos tx, Machine m, List<Instance> live, Instant now) {
        if (live.stream().noneMatch(i -> i.bid() || i.bidState().phase() != BidState.Phase.HOLDING)) {
            return new Outcome(List.of(), live);
        }
        List<Claim> claims = new ArrayList<>(live.size());
        for (Instance i : live) {
            claims.add(new Claim(
                    i.id(),
                    i.bid(),
                    i.numGpus(),
                    i.prices().gpuPerHour(),
                    i.intendedStatus() == IntendedStatus.RUNNING));
        }
        Map<Long, Verdict> verdicts = Arbitration.decide(m.spec().numGpus(), claims);
        List<Instance> changed = new ArrayList<>();
        Map<Long, BidState> states = new HashMap<>();
        // losers first: a winner that has no GPUs yet waits while any loser still runs out its notice on them
        boolean noticePending = false;
        for (Instance i : live) {
            Verdict v = verdicts.get(i.id());
            if (!i.bid() || !v.waits()) continue;
            BidState next = BidPhases.next(i.bidState(), v, notice, now, false);
            if (next.phase() == BidState.Phase.NOTICE) noticePending = true;
            if (!next.equals(i.bidState()) && tx.instances().setBidState(i.id(), next, now)) {
                io.gpumarket.server.notify.Events.bidChanged(tx, i, next, now);
                changed.add(i);
                states.put(i.id(), next);
            }
        }
        for (Instance i : live) {
            Verdict v = verdicts.get(i.id());
            if (v.waits()) continue;
            // an on-demand contract only ever waits for a notice to end (admitOnDemand), then holds its GPUs
            BidState next = i.bid()
                    ? BidPhases.next(i.bidState(), v, notice, now, noticePending)
                    : noticePending ? i.bidState() : BidState.HOLDS.withRecord(i.bidState());
            if (!next.equals(i.bidState()) && tx.instances().setBidState(i.id(), next, now)) {
                changed.add(i);
                states.put(i.id(), next);
            }
        }
        List<Instance> after = new ArrayList<>(live.size());
        for (Instance i : live) after.add(states.containsKey(i.id()) ? i.withBidState(states.get(i.id()), now) : i);
        return new Outcome(changed, after);
    }

    /**
     * Re-decides the machine after an on-demand rent (which preempts the bids on its GPUs), from what the rent's
     * transaction holds: the machine row it locked and the machine's live contracts, the new one included. With a
     * notice window, the bids it displaces keep running until their notice ends, so the new instance waits in
     * {@code scheduling} until then: the GPUs are never used twice.
     */
    public Outcome admitOnDemand(Repos tx, Instance created, Machine m, List<Instance> live, Instant now) {
        Outcome decided = decide(tx, m, live, now);
        boolean noticePending =
                decided.live().stream().anyMatch(i -> i.bidState().phase() == BidState.Phase.NOTICE);
        if (!noticePending) return decided;
        BidState waiting = new BidState(
                BidState.Phase.SCHEDULING, "waiting for a preempted bid's notice to end", now, null, null, null);
        if (!tx.instances().setBidState(created.id(), waiting, now)) return decided;
        List<Instance> changed = new ArrayList<>(decided.changed());
        changed.add(created);
        List<Instance> after = new ArrayList<>();
        for (Instance i : decided.live()) after.add(i.id() == created.id() ? i.withBidState(waiting, now) : i);
        return new Outcome(changed, after);
    }

    /** Re-decides the machine in a transaction of its own, and tells its agent. */
    public void arbitrate(long machineId) {
        Instant now = clock.instant();
        List<Instance> changed = store.inTransaction(tx -> arbitrate(tx, machineId, now));
        if (!changed.isEmpty()) {
            market.refresh(machineId);
            revisions.bump(machineId);
        }
    }

    /** Ends the preemption notices that have run out (the bid loop calls this). How many machines it re-decided. */
    public int expireNotices() {
        int n = 0;
        for (long machineId : store.repos().instances().machinesWithNoticeUntil(clock.instant())) {
            arbitrate(machineId);
            n++;
        }
        return n;
    }
}
