package io.gpumarket.core.replica;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A replica's place in the market change log (docs/high-availability.md): which rows it has applied, so that it
 * applies each committed change once and never skips one.
 *
 * <p>Log rows are numbered by a database sequence when a transaction writes them, not when it commits: row 11 can be
 * visible while row 10 is still in a transaction that will commit later (or roll back and never appear). So the cursor
 * keeps {@link #position()}, below which every number has been applied or given up, and the numbers above it already
 * applied. A missing number is a <em>hole</em>: waited for until it is {@code holeWait} old (a transaction that takes
 * longer between its change and its commit is not expected; one that rolled back leaves a hole for ever), then given
 * up. Reading again from {@link #position()} finds a late row, which is then applied; applying a change twice is
 * harmless in any case (the replica re-reads the machine), skipping one is not, which is why the wait errs long.
 */
public final class FeedCursor {
    /** More missing numbers than this at once are not holes but a log this replica was away from. */
    static final int MAX_HOLES = 10_000;

    private final Duration holeWait;
    private long position;
    /** Numbers above the position already applied. */
    private final TreeSet<Long> applied = new TreeSet<>();
    /** Holes below the highest applied number, with when each was first seen. */
    private final TreeMap<Long, Instant> holes = new TreeMap<>();

    /** A cursor at {@code position}: everything up to it is taken as applied (the replica read the database after). */
    public FeedCursor(long position, Duration holeWait) {
        this.position = position;
        this.holeWait = holeWait;
    }

    /** Every row numbered above this may still need applying: read the log after it. */
    public long position() {
        return position;
    }

    /**
     * Takes the rows read after {@link #position()} (their numbers, ascending) at {@code now} and answers those not
     * applied before, to apply now; then moves the position over every number applied or given up.
     */
    public List<Long> accept(List<Long> read, Instant now) {
        List<Long> fresh = new ArrayList<>();
        for (long seq : read) {
            if (seq <= position || applied.contains(seq)) continue;
            fresh.add(seq);
            applied.add(seq);
            holes.remove(seq);
        }
        if (!applied.isEmpty()) {
            long top = applied.last();
            // a jump far past the position (rows pruned while this replica was away) is not waited for number by number
            if (top - position > MAX_HOLES) position = Math.max(position, applied.first() - 1);
            for (long n = position + 1; n < top; n++) {
                if (!applied.contains(n)) holes.putIfAbsent(n, now);
            }
        }
        advance(now);
        return fresh;
    }

    /** Numbers waited for now (for metrics and tests). */
    public int holes() {
        return holes.size();
    }

    private void advance(Instant now) {
        while (true) {
            long next = position + 1;
            if (applied.remove(next)) {
                position = next;
                continue;
            }
            Instant seen = holes.get(next);
            if (seen != null && Duration.between(seen, now).compareTo(holeWait) >= 0) {
                holes.remove(next);
                position = next;
                continue;
            }
            return;
        }
    }
}
