package io.gpumarket.core.replica;

import java.time.Duration;
import java.time.Instant;

/**
 * When a replica may run a loop that must run once across replicas (the meter, upkeep, bids, deliveries …), given what
 * it knows of its lease: whether it holds it and when the database last confirmed that (docs/high-availability.md).
 *
 * <p>A lease is a PostgreSQL advisory lock held by one dedicated connection of the replica: the database lets go of it
 * when that connection ends, which includes the process dying. So a replica that holds it runs the loop, but only
 * while its last confirmation is younger than {@code confirmEvery}; past that it must ask the database again before
 * running (one round trip), and it stops acting as leader the moment the answer fails. A replica that does not hold it
 * tries to take it at every turn of the loop, so another replica takes over within one interval of the leader's end.
 * The loops' own transactions stay safe if two ever ran at once (the meter moves its watermark under an exclusive
 * transaction lock), so the lease is about doing each piece of work once, not about the books' correctness alone.
 */
public final class LeaseRules {
    private LeaseRules() {}

    /** What a loop's turn should do. */
    public enum Turn {
        /** The lease is held and was confirmed recently: run the work. */
        RUN,
        /** The lease is held but its last confirmation is old: confirm it, then run only if it is still held. */
        CONFIRM_THEN_RUN,
        /** The lease is not held: try to take it; run only if that succeeds. */
        TRY_TO_TAKE
    }

    /** What a replica knows of one lease. {@code confirmedAt} is null when it does not hold it. */
    public record Held(Instant confirmedAt) {
        public static final Held NOT = new Held(null);

        public boolean held() {
            return confirmedAt != null;
        }
    }

    /** This turn's decision at {@code now}. */
    public static Turn turn(Held lease, Instant now, Duration confirmEvery) {
        if (!lease.held()) return Turn.TRY_TO_TAKE;
        // a clock that went backwards counts as fresh: the connection that holds the lock is what matters
        return Duration.between(lease.confirmedAt(), now).compareTo(confirmEvery) < 0
                ? Turn.RUN
                : Turn.CONFIRM_THEN_RUN;
    }

    /** The lease after a turn: taken or confirmed at {@code now}, or lost (not taken, the check failed). */
    public static Held after(boolean stillHeld, Instant now) {
        return stillHeld ? new Held(now) : Held.NOT;
    }
}
