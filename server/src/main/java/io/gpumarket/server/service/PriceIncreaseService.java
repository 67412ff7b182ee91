package io.gpumarket.server.service;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.core.machine.Listing;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.store.PriceIncreaseRepo;
import io.gpumarket.store.PriceIncreaseRepo.PriceIncrease;
import io.gpumarket.store.Repos;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Price increases need the renter's consent (docs/billing.md): a host raising a listed machine's GPU price leaves every
 * running on-demand contract of it at its frozen price and records a pending increase for each; the contract's owner
 * accepts it (the new price applies from that instant, exactly, as a changed bid's does) or rejects it (the old price
 * holds to the contract's end). Bids pay their bid, so a listing price never touches them.
 */
public final class PriceIncreaseService {
    /** The most rows one listing answers (Vast's envelope says {@code truncated} when there were more). */
    static final int MAX_LISTED = 500;

    public record Pending(List<PriceIncrease> rows, boolean truncated) {}

    private final Store store;
    private final Clock clock;

    public PriceIncreaseService(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * In the listing's transaction: a pending increase for each live on-demand contract of {@code machine} whose GPU
     * price (the frozen one, or the one it accepted last) is below the new listing's. How many were recorded.
     */
    int onListing(Repos tx, Machine machine, Listing listing, Instant now) {
        int made = 0;
        for (Instance i : tx.instances().liveOnMachine(machine.id())) {
            if (i.bid() || listing.gpuPricePerHour() <= i.prices().gpuPerHour()) continue;
            tx.priceIncreases()
                    .offer(new PriceIncrease(
                            0,
                            i.id(),
                            i.ownerId(),
                            machine.hostId(),
                            i.prices().gpuPerHour(),
                            listing.gpuPricePerHour(),
                            i.prices().diskPerGbMonth(),
                            i.prices().inetUpPerGb(),
                            i.prices().inetDownPerGb(),
                            0, // the contract's own, copied by the store
                            i.prices().endDate(),
                            listing.endDate(),
                            PriceIncreaseRepo.PENDING,
                            now,
                            null));
            made++;
        }
        return made;
    }

    public Pending pending(Principal caller) {
        List<PriceIncrease> rows = store.repos().priceIncreases().pendingOf(caller.userId(), MAX_LISTED + 1);
        boolean truncated = rows.size() > MAX_LISTED;
        return new Pending(truncated ? rows.subList(0, MAX_LISTED) : rows, truncated);
    }

    /** Accepts the caller's pending increase: its contract pays the new GPU price from now on. */
    public PriceIncrease accept(Principal caller, long pendingId) {
        Instant now = clock.instant();
        return store.inTransaction(tx -> {
            PriceIncrease row = pendingOf(tx, caller, pendingId);
            if (!tx.priceIncreases().decide(row.id(), PriceIncreaseRepo.ACCEPTED, now)
                    || !tx.instances().reprice(row.instanceId(), row.newGpuPrice(), now)) {
                throw stale(pendingId);
            }
            return row;
        });
    }

    /** Rejects the caller's pending increase: the contract keeps its price to its end. */
    public PriceIncrease reject(Principal caller, long pendingId) {
        Instant now = clock.instant();
        return store.inTransaction(tx -> {
            PriceIncrease row = pendingOf(tx, caller, pendingId);
            if (!tx.priceIncreases().decide(row.id(), PriceIncreaseRepo.REJECTED, now)) throw stale(pendingId);
            return row;
        });
    }

    /** The caller's own row, still pending, of a live contract; anything else is Vast's 404 for a stale row. */
    private static PriceIncrease pendingOf(Repos tx, Principal caller, long pendingId) {
        PriceIncrease row = tx.priceIncreases()
                .find(pendingId)
                .filter(r -> r.ownerId() == caller.userId())
                .filter(r -> PriceIncreaseRepo.PENDING.equals(r.status()))
                .orElseThrow(() -> stale(pendingId));
        if (tx.instances().find(row.instanceId()).filter(i -> !i.destroyed()).isEmpty()) throw stale(pendingId);
        return row;
    }

    private static DomainException stale(long pendingId) {
        return new DomainException.NotFound(
                "no_pending_price_increase", "No pending price increase " + pendingId + " for this account.");
    }
}
