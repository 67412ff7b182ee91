package io.gpumarket.core.bid;

/**
 * One contract's claim on its machine's GPUs, as arbitration sees it.
 *
 * @param id           the instance; lower ids are older contracts, which win ties between equal bids
 * @param bid          an interruptible (bid) contract; false for on-demand
 * @param gpus         GPUs it needs
 * @param pricePerGpu  what it pays per GPU-hour, micro-dollars (its bid, for a bid contract)
 * @param wantsToRun   its owner wants it running (intended status running); a stopped bid claims nothing
 */
public record Claim(long id, boolean bid, int gpus, long pricePerGpu, boolean wantsToRun) {
    public Claim {
        if (gpus < 1)
            throw new IllegalArgumentException(
                    "a claim needs at least one GPU, got " + gpus + " (instance " + id + ")");
        if (pricePerGpu < 0) throw new IllegalArgumentException("a price cannot be negative (instance " + id + ")");
    }

    public static Claim onDemand(long id, int gpus, long pricePerGpu, boolean wantsToRun) {
        return new Claim(id, false, gpus, pricePerGpu, wantsToRun);
    }

    public static Claim bid(long id, int gpus, long pricePerGpu, boolean wantsToRun) {
        return new Claim(id, true, gpus, pricePerGpu, wantsToRun);
    }
}
