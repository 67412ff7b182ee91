package io.gpumarket.server.replica;

import io.gpumarket.core.replica.LeaseRules;
import io.gpumarket.core.replica.LeaseRules.Held;
import io.gpumarket.store.jdbc.AdvisoryLeases;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which of the server's background loops this replica runs: each loop that must run once across replicas (the meter,
 * upkeep, preemption notices, scheduled jobs, the autoscaler, webhook delivery, market snapshots, the change log's
 * pruning) is wrapped by {@link #guard}, and a turn of it runs only on the replica that holds the loop's lease (rules:
 * {@link LeaseRules}; the lock: {@link AdvisoryLeases}). A replica that does not hold it tries to take it at every
 * turn, so when a leader dies another takes over within one interval. On SQLite there is one replica (the server
 * lock), which leads everything: {@link #single()}.
 *
 * <p>Small and reusable on purpose: any loop that must run once wraps its work here with a name of its own.
 */
public final class LoopLeases implements AutoCloseable {
    /** How long a leader runs turns without asking the database again whether it still holds its lease. */
    public static final Duration CONFIRM_EVERY = Duration.ofSeconds(2);

    private final AdvisoryLeases locks;
    private final Clock clock;
    private final ConcurrentHashMap<String, Held> known = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private LoopLeases(AdvisoryLeases locks, Clock clock) {
        this.locks = locks;
        this.clock = clock;
    }

    /** One replica alone (SQLite): it leads every loop. */
    public static LoopLeases single() {
        return new LoopLeases(null, Clock.systemUTC());
    }

    /** Leases shared by the replicas of one PostgreSQL database. */
    public static LoopLeases shared(AdvisoryLeases locks, Clock clock) {
        return new LoopLeases(locks, clock);
    }

    /** The work of loop {@code name}, run only on the turns this replica leads it. */
    public Runnable guard(String name, Runnable work) {
        return () -> {
            if (leads(name)) work.run();
        };
    }

    /** Whether this replica leads loop {@code name} now (taking or confirming the lease as the rules say). */
    public boolean leads(String name) {
        if (closed) return false;
        if (locks == null) return true;
        // the real clock: a lease is about the database connection, not the market's (possibly fake) time
        java.time.Instant now = clock.instant();
        Held lease = known.getOrDefault(name, Held.NOT);
        boolean held = switch (LeaseRules.turn(lease, now, CONFIRM_EVERY)) {
            case RUN -> true;
            case CONFIRM_THEN_RUN -> locks.confirm(name);
            case TRY_TO_TAKE -> locks.tryTake(name);
        };
        // a lease lost with the connection loses every other with it: the next turns find out from the locks
        if (!held) for (String other : known.keySet()) if (!locks.holds(other)) known.put(other, Held.NOT);
        known.put(name, LeaseRules.after(held, now));
        return held;
    }

    /** The loops this replica believes it leads (for /readyz's body and the tests). */
    public java.util.Set<String> led() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        known.forEach((n, h) -> {
            if (h.held()) out.add(n);
        });
        return out;
    }

    /** Hands every lease over now (a draining replica): other replicas take them at their next turn. */
    @Override
    public void close() {
        closed = true;
        if (locks != null) locks.close();
        known.clear();
    }
}
