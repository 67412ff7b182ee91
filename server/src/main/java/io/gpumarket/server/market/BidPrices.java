package io.gpumarket.server.market;

import io.gpumarket.core.bid.Arbitration;
import io.gpumarket.core.bid.Claim;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.core.instance.IntendedStatus;
import io.gpumarket.core.machine.Listing;
import io.gpumarket.core.machine.Machine;
import java.util.ArrayList;
import java.util.List;

/**
 * The minimum bid a machine's offers show ({@code min_bid}, and {@code dph_base} of a {@code type: bid} search): the
 * host's floor, raised while bids run there to what a new bid must pay per GPU to run at once on the machine's
 * largest offered bundle (all GPUs not held by on-demand contracts). Bidding it on any of the machine's offers
 * therefore wins its GPUs at once (the price a bid needs never falls for a smaller bundle); it may overstate what a
 * smaller bundle needs.
 */
final class BidPrices {
    private BidPrices() {}

    /** The machine as its offers should show it, given the live bid contracts on it. */
    static Machine current(Machine m, List<Instance> bids) {
        Listing l = m.listing();
        if (l == null || bids.isEmpty() || m.freeGpus() < 1) return m;
        int gpus = m.spec().numGpus();
        List<Claim> claims = new ArrayList<>();
        // free_gpus counts only what on-demand contracts took (bids never take from it): the rest is theirs
        int onDemand = gpus - m.freeGpus();
        if (onDemand > 0) claims.add(Claim.onDemand(0, onDemand, 0, true));
        for (Instance i : bids) {
            claims.add(Claim.bid(
                    i.id(), i.numGpus(), i.prices().gpuPerHour(), i.intendedStatus() == IntendedStatus.RUNNING));
        }
        long min = Arbitration.minimumBid(gpus, claims, m.freeGpus(), l.minBidPerGpuHour());
        if (min <= l.minBidPerGpuHour()) return m;
        return m.withListing(new Listing(
                l.gpuPricePerHour(),
                l.diskPricePerGbMonth(),
                l.inetUpPricePerGb(),
                l.inetDownPricePerGb(),
                min,
                l.minChunk(),
                l.endDate(),
                l.creditDiscountMax()));
    }
}
