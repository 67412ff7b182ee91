package io.gpumarket.core.bid;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who may use a machine's GPUs (docs/bids.md). On-demand contracts always hold theirs, running or stopped: renting
 * on-demand already took them from the machine's free count, so they never exceed the machine. The GPUs left are
 * the bids' pool: bids that want to run are taken highest price per GPU first (equal prices: the older contract
 * first, so a newcomer must bid strictly more to displace anyone), and each one that still fits in what the pool
 * has left gets its GPUs; one that does not fit waits, and a smaller, lower bid after it may still fit in the gap.
 *
 * <p>A bid that waits is {@link Verdict#DISPLACED_BY_ON_DEMAND} when the same walk over the whole machine (as if
 * there were no on-demand contracts) would have given it a place, otherwise {@link Verdict#OUTBID}.
 *
 * <p>Pure: the same claims always give the same verdicts, whatever order they are listed in.
 */
public final class Arbitration {
    /** Bids first by price per GPU (highest first), then the older contract. */
    static final Comparator<Claim> PRIORITY =
            Comparator.comparingLong(Claim::pricePerGpu).reversed().thenComparingLong(Claim::id);

    private Arbitration() {}

    /** The verdict for every claim, keyed by instance id, in the order the claims were given. */
    public static Map<Long, Verdict> decide(int machineGpus, List<Claim> claims) {
        if (machineGpus < 1) throw new IllegalArgumentException("a machine has at least one GPU, got " + machineGpus);
        int onDemand = 0;
        for (Claim c : claims) if (!c.bid()) onDemand += c.gpus();
        List<Long> winners = fill(Math.max(0, machineGpus - onDemand), claims);
        List<Long> winnersWithoutOnDemand = fill(machineGpus, claims);
        Map<Long, Verdict> out = new LinkedHashMap<>();
        for (Claim c : claims) {
            Verdict v;
            if (!c.bid()) v = Verdict.HOLDS;
            else if (!c.wantsToRun()) v = Verdict.IDLE;
            else if (winners.contains(c.id())) v = Verdict.HOLDS;
            else if (winnersWithoutOnDemand.contains(c.id())) v = Verdict.DISPLACED_BY_ON_DEMAND;
            else v = Verdict.OUTBID;
            out.put(c.id(), v);
        }
        return out;
    }

    /**
     * The lowest price per GPU at which a new bid for {@code gpus} GPUs would run at once, at least {@code floor} (the
     * host's minimum bid); -1 when no price would do (on-demand contracts leave the bids fewer GPUs than that).
     * A new bid is the youngest contract, so it must beat every bid it displaces by a micro-dollar.
     */
    public static long minimumBid(int machineGpus, List<Claim> claims, int gpus, long floor) {
        int onDemand = 0;
        List<Claim> bids = new ArrayList<>();
        for (Claim c : claims) {
            if (!c.bid()) onDemand += c.gpus();
            else if (c.wantsToRun()) bids.add(c);
        }
        int pool = machineGpus - onDemand;
        if (gpus > pool) return -1;
        // Bidding p places the newcomer after every bid priced >= p; it runs when those leave it room. The candidate
        // prices are the floor and one micro-dollar above each existing bid: the answer is the lowest that works.
        List<Long> candidates = new ArrayList<>();
        candidates.add(floor);
        for (Claim b : bids) if (b.pricePerGpu() + 1 > floor) candidates.add(b.pricePerGpu() + 1);
        candidates.sort(null);
        for (long p : candidates) {
            if (runsAt(pool, bids, gpus, p)) return p;
        }
        throw new IllegalStateException("a bid above every other always fits a pool of " + pool + " GPUs");
    }

    private static boolean runsAt(int pool, List<Claim> bids, int gpus, long price) {
        int left = pool;
        for (Claim b : sorted(bids)) {
            if (b.pricePerGpu() < price) break;
            if (b.gpus() <= left) left -= b.gpus();
        }
        return gpus <= left;
    }

    /** The bids that want to run and get a place in a pool of {@code pool} GPUs. */
    private static List<Long> fill(int pool, List<Claim> claims) {
        List<Long> placed = new ArrayList<>();
        int left = pool;
        for (Claim c : sorted(claims)) {
            if (!c.bid() || !c.wantsToRun()) continue;
            if (c.gpus() <= left) {
                left -= c.gpus();
                placed.add(c.id());
            }
        }
        return placed;
    }

    private static List<Claim> sorted(List<Claim> claims) {
        List<Claim> copy = new ArrayList<>(claims);
        copy.sort(PRIORITY);
        return copy;
    }
}
