package io.gpumarket.core.bid;

import java.time.Instant;

/**
 * Where a bid contract stands with its machine's GPUs (on-demand contracts always hold theirs and keep
 * {@link #HOLDING}). Written by the bid arbiter only.
 *
 * @param phase       see {@link Phase}
 * @param reason      why it waits or has notice ({@link Verdict#reason()}); null while it holds or is idle
 * @param since       when it entered its current waiting phase (or got notice); null otherwise
 * @param noticeUntil while in {@link Phase#NOTICE}: when it will be stopped
 * @param lastReason  the reason it was last preempted for, kept after it resumes (the contract's record)
 * @param lastAt      when that was
 */
public record BidState(
        Phase phase, String reason, Instant since, Instant noticeUntil, String lastReason, Instant lastAt) {
    public enum Phase {
        /** Holds its GPUs: runs if its owner wants it to. */
        HOLDING("holding"),
        /** Its owner stopped it (or created it stopped): claims nothing. */
        IDLE("idle"),
        /** Lost its GPUs but keeps running until {@code noticeUntil}; it has been told. */
        NOTICE("notice"),
        /** Lost GPUs it held: stopped, disk kept, resumes by itself when it wins them back. */
        PREEMPTED("preempted"),
        /** Wants to run but has not had GPUs since it was created or started: waits to get them. */
        SCHEDULING("scheduling");

        private final String wire;

        Phase(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public static Phase fromWire(String s) {
            for (Phase p : values()) if (p.wire.equals(s)) return p;
            throw new IllegalArgumentException("unknown bid phase '" + s + "'");
        }
    }

    public static final BidState HOLDS = new BidState(Phase.HOLDING, null, null, null, null, null);

    public BidState {
        if (phase == null) throw new IllegalArgumentException("a bid state needs a phase");
    }

    /** Whether its agent should have it running (when its owner wants it running). */
    public boolean mayRun() {
        return phase == Phase.HOLDING || phase == Phase.NOTICE;
    }

    /** Whether it waits for GPUs (stopped by the server, not by its owner). */
    public boolean waiting() {
        return phase == Phase.PREEMPTED || phase == Phase.SCHEDULING;
    }

    /** A new bid contract: it has no GPUs until the arbiter gives it some. */
    public static BidState fresh() {
        return new BidState(Phase.IDLE, null, null, null, null, null);
    }

    /** This state's record of the last preemption, on another state. */
    public BidState withRecord(BidState other) {
        return new BidState(phase, reason, since, noticeUntil, other.lastReason, other.lastAt);
    }

    BidState to(Phase p, String why, Instant at, Instant until) {
        boolean preempted = p == Phase.PREEMPTED && phase != Phase.PREEMPTED;
        return new BidState(p, why, at, until, preempted ? why : lastReason, preempted ? at : lastAt);
    }
}
