package io.gpumarket.store.jdbc;

import io.gpumarket.store.StoreBusyException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The one path every write transaction takes on SQLite, where the file has one writer at a time: a fair lock taken
 * in the JVM <em>before</em> a connection is taken and the transaction begins. A virtual thread that waits here is
 * parked and gives its carrier back, unlike one waiting in SQLite's busy handler, which is a native call that pins
 * the carrier: with as many carriers as cores, a handful of writers spinning there starved the virtual thread that
 * held the write lock, and the whole server stopped answering (issue 14). Waiting writers are served in arrival order.
 *
 * <p>A writer that would queue behind more than {@code maxQueue} others, or waits longer than {@code maxWait}, is
 * refused with {@link StoreBusyException} (answered 503 with {@code Retry-After}) instead of stalling: nothing was
 * written, and a client that backs off lets the queue drain. The lock is reentrant, so a write nested in a
 * transaction of the same thread (which joins that transaction) passes without waiting. Reads never take it: in WAL
 * mode they see the last commit while a write is in progress.
 *
 * <p>PostgreSQL has row locks and a pool of connections that write side by side: {@link #NONE} lets every writer
 * through.
 */
abstract sealed class WriteGate permits WriteGate.Open, WriteGate.Fair {
    /** No gate: the database serialises what must be serial itself. */
    static final WriteGate NONE = new Open();

    /** A fair gate for one writer at a time. */
    static WriteGate fair(Duration maxWait, int maxQueue) {
        if (maxWait.isNegative() || maxWait.isZero()) throw new IllegalArgumentException("maxWait must be positive");
        if (maxQueue < 1) throw new IllegalArgumentException("maxQueue must be at least 1");
        return new Fair(maxWait, maxQueue);
    }

    /** Runs {@code write} (a whole transaction) through the gate. */
    abstract <T> T through(Supplier<T> write);

    /** Writers waiting now (0 for no gate); for metrics and tests. */
    abstract int waiting();

    /** Whether this thread is inside a write transaction that passed this gate (false for no gate). */
    abstract boolean heldByCurrentThread();

    static final class Open extends WriteGate {
        @Override
        <T> T through(Supplier<T> write) {
            return write.get();
        }

        @Override
        int waiting() {
            return 0;
        }

        @Override
        boolean heldByCurrentThread() {
            return false;
        }
    }

    static final class Fair extends WriteGate {
        private final ReentrantLock lock = new ReentrantLock(true);
        private final long maxWaitNanos;
        private final int maxQueue;

        Fair(Duration maxWait, int maxQueue) {
            this.maxWaitNanos = maxWait.toNanos();
            this.maxQueue = maxQueue;
        }

        @Override
        <T> T through(Supplier<T> write) {
            if (!lock.isHeldByCurrentThread()) {
                int queued = lock.getQueueLength();
                if (queued >= maxQueue) throw busy(queued + " writes are queued (at most " + maxQueue + ")");
                boolean acquired;
                try {
                    acquired = lock.tryLock(maxWaitNanos, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw busy("interrupted while waiting to write");
                }
                if (!acquired) {
                    throw busy("waited " + Duration.ofNanos(maxWaitNanos).toMillis() + " ms behind "
                            + lock.getQueueLength() + " other writes");
                }
            } else {
                lock.lock(); // reentrant: a write joining this thread's own transaction
            }
            try {
                return write.get();
            } finally {
                lock.unlock();
            }
        }

        @Override
        int waiting() {
            return lock.getQueueLength();
        }

        @Override
        boolean heldByCurrentThread() {
            return lock.isHeldByCurrentThread();
        }

        private static StoreBusyException busy(String why) {
            return new StoreBusyException("The database is busy writing (" + why + "); try again shortly.",
                    Duration.ofSeconds(1));
        }
    }
}
