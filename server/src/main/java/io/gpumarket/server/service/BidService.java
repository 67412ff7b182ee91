package io.gpumarket.server.service;

import io.gpumarket.core.bid.Arbitration;
import io.gpumarket.core.bid.BidPrice;
import io.gpumarket.core.bid.Claim;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.core.instance.IntendedStatus;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.money.Money;
import io.gpumarket.server.agent.MachineRevisions;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.server.market.MarketIndex;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Changing a bid ({@code PUT /instances/bid_price/{id}/}): the new price is checked (docs/vast-compatibility.md §b.2 caps, the machine's
 * minimum bid), stored, and the machine re-arbitrated in the same transaction, so a raised bid that now wins runs
 * at once and a lowered one that now loses is preempted at once. A null price asks for a winning bid: the lowest
 * that would make the instance run now. An on-demand instance cannot become a bid (its type never changes).
 */
public final class BidService {
    private final Store store;
    private final BidArbiter arbiter;
    private final MarketIndex market;
    private final MachineRevisions revisions;
    private final Clock clock;

    public BidService(Store store, BidArbiter arbiter, MarketIndex market, MachineRevisions revisions, Clock clock) {
        this.store = store;
        this.arbiter = arbiter;
        this.market = market;
        this.revisions = revisions;
        this.clock = clock;
    }

    /** @param dollars the new bid for the whole instance per hour; null for the lowest winning one. Returns it per GPU. */
    public long change(Principal caller, long id, Double dollars) {
        // Vast's words for this route; someone else's instance is answered like a missing one
        Instance mine = store.repos()
                .instances()
                .find(id)
                .filter(i -> !i.destroyed() && i.ownerId() == caller.userId())
                .orElseThrow(() ->
                        new DomainException.NotFound("no_such_instance", "Instance with that ID does not exist."));
        if (!mine.bid()) {
            throw new DomainException.BadRequest(
                    "invalid_args",
                    "Instance " + id + " is on-demand; only an interruptible "
                            + "(bid) instance has a bid price, and an instance's type cannot change after it is created.");
        }
        Instant now = clock.instant();
        long perGpu = store.inTransaction(tx -> {
            tx.machines().lock(mine.machineId());
            Machine m = tx.machines().find(mine.machineId()).orElseThrow();
            long floor = m.listing() == null ? 0 : m.listing().minBidPerGpuHour();
            long price =
                    dollars != null ? BidPrice.forChange(dollars, mine.numGpus(), floor) : winning(tx, m, mine, floor);
            if (!tx.instances().setBid(id, price, now)) {
                throw new DomainException.NotFound("no_such_instance", "Instance with that ID does not exist.");
            }
            arbiter.arbitrate(tx, m.id(), now);
            return price;
        });
        market.refresh(mine.machineId());
        revisions.bump(mine.machineId());
        return perGpu;
    }

    /** The lowest bid per GPU that runs the instance now (as a newcomer, so ties cost a micro-dollar more). */
    private static long winning(io.gpumarket.store.Repos tx, Machine m, Instance mine, long floor) {
        List<Claim> others = new ArrayList<>();
        for (Instance i : tx.instances().liveOnMachine(m.id())) {
            if (i.id() == mine.id()) continue;
            others.add(new Claim(
                    i.id(),
                    i.bid(),
                    i.numGpus(),
                    i.prices().gpuPerHour(),
                    i.intendedStatus() == IntendedStatus.RUNNING));
        }
        long p = Arbitration.minimumBid(m.spec().numGpus(), others, mine.numGpus(), Math.max(floor, BidPrice.MIN));
        if (p < 0) {
            throw new DomainException.BadRequest(
                    "invalid_args",
                    "no bid wins instance " + mine.id() + " its " + mine.numGpus()
                            + " GPU(s) now: on-demand contracts hold the machine; give a price to wait at");
        }
        long cap = BidPrice.CHANGE_MAX_PER_GPU;
        if (p > cap) {
            throw new DomainException.BadRequest(
                    "invalid_args",
                    "the winning bid would be $" + Money.toDollars(p) + " per GPU, above the cap of 32.0 per GPU");
        }
        return p;
    }
}
