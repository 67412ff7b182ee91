package io.gpumarket.server.agent;

import io.gpumarket.store.StoreBusyException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A bulkhead for the database reads of agent syncs (a token not cached yet, a desired state not answered before):
 * at most {@link #PERMITS} at a time, queued fairly. When thousands of agents reconnect at once (a server restart),
 * their reads would otherwise fill the connection pool's queue, and a renter's request would wait behind all of them;
 * with the lane, agents wait among themselves and the rest of the pool stays free for everyone else. An agent that
 * waits longer than {@link #MAX_WAIT} is answered 503 with {@code Retry-After} and comes back later.
 */
public final class AgentLane {
    /** Concurrent agent reads: fewer than the readers' pool (10), so other requests always find a connection. */
    static final int PERMITS = 4;

    static final Duration MAX_WAIT = Duration.ofSeconds(10);

    private final Semaphore permits = new Semaphore(PERMITS, true);

    public <T> T read(Supplier<T> work) {
        boolean acquired;
        try {
            acquired = permits.tryAcquire(MAX_WAIT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreBusyException("interrupted while waiting to read for an agent", Duration.ofSeconds(1));
        }
        if (!acquired) {
            throw new StoreBusyException(
                    "Too many agents are syncing at once (" + permits.getQueueLength()
                            + " waiting); try again shortly.",
                    Duration.ofSeconds(5));
        }
        try {
            return work.get();
        } finally {
            permits.release();
        }
    }
}
