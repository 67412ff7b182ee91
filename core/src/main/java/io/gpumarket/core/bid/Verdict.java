package io.gpumarket.core.bid;

/** What arbitration decides for one contract. */
public enum Verdict {
    /** It holds its GPUs: every on-demand contract (running or stopped), and each bid that won a place. */
    HOLDS,
    /** A bid that wants to run but lost its place to higher bids. */
    OUTBID,
    /** A bid that wants to run and would have a place among the bids, but on-demand contracts took the GPUs. */
    DISPLACED_BY_ON_DEMAND,
    /** A bid its owner stopped: it claims nothing and waits for nothing. */
    IDLE;

    /** The words status messages and the contract record use for why it does not run. */
    public String reason() {
        return switch (this) {
            case OUTBID -> "outbid";
            case DISPLACED_BY_ON_DEMAND -> "displaced by on-demand";
            case HOLDS, IDLE -> null;
        };
    }

    public boolean waits() {
        return this == OUTBID || this == DISPLACED_BY_ON_DEMAND;
    }
}
