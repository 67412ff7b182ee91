package io.gpumarket.store.jdbc;

import io.gpumarket.store.StoreBusyException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionException;

/**
 * The one path every write transaction takes.
 *
 * <p>On SQLite, where the file has one writer at a time, it is {@link Grouped}: a fair lock taken in the JVM
 * <em>before</em> the writer's connection is touched. A virtual thread that waits here is parked and gives its carrier
 * back, unlike one waiting in SQLite's busy handler, which is a native call that pins the carrier: with as many
 * carriers as cores, a handful of writers spinning there starved the virtual thread that held the write lock, and the
 * whole server stopped answering (issue 14). Waiting writers are served in arrival order, and their transactions are
 * <em>committed in groups</em>: with {@code synchronous=FULL} every commit is an fsync of the WAL (~5 ms on the build
 * machine's disk), so one commit per transaction capped the store at ~200 writes a second whatever the CPU. Each
 * writer still runs its own work on its own thread, inside a savepoint of the transaction that is open; when others are
 * queued behind it, it leaves the transaction open for them, and the first of the group to come back commits all of
 * them with one fsync. Nobody is answered before the commit that holds its writes: {@link #write} returns only once its
 * group committed, so an acknowledged write survives a crash as before, and a work that fails is rolled back to its
 * savepoint without touching the others' writes (see {@link Grouped}).
 *
 * <p>A writer that would queue behind more than {@code maxQueue} others, or waits longer than {@code maxWait}, is
 * refused with {@link StoreBusyException} (answered 503 with {@code Retry-After}) instead of stalling: nothing was
 * written, and a client that backs off lets the queue drain. A write nested in a write of the same thread joins it.
 * Reads never take the gate: in WAL mode they see the last commit while a write is in progress.
 *
 * <p>PostgreSQL has row locks, a pool of connections that write side by side, and commits that group themselves
 * in its WAL writer: {@link Open} lets every writer through on its own transaction.
 */
abstract sealed class WriteGate permits WriteGate.Open, WriteGate.Grouped {

    /** No gate: each write is a transaction of its own on {@code writer}, and the database serialises what must be. */
    static WriteGate open(Jdbi writer) {
        return new Open(writer);
    }

    /** One writer at a time on {@code writer} (a pool of one connection), transactions committed in groups. */
    static WriteGate grouped(Jdbi writer, Duration maxWait, int maxQueue, int maxGroup) {
        if (maxWait.isNegative() || maxWait.isZero()) throw new IllegalArgumentException("maxWait must be positive");
        if (maxQueue < 1) throw new IllegalArgumentException("maxQueue must be at least 1");
        if (maxGroup < 1) throw new IllegalArgumentException("maxGroup must be at least 1");
        return new Grouped(writer, maxWait, maxQueue, maxGroup);
    }

    /**
     * Runs {@code work} as a transaction (or, called from inside a write of this thread, as part of that one) and
     * returns once it is committed. What {@code work} throws is thrown here, with its writes rolled back.
     */
    abstract <T> T write(HandleCallback<T, RuntimeException> work);

    /** Runs a read on the handle of this thread's write transaction; only while {@link #heldByCurrentThread}. */
    abstract <T> T joined(HandleCallback<T, RuntimeException> work);

    /** Writers waiting now (0 for no gate); for metrics and tests. */
    abstract int waiting();

    /** Commits made through the gate so far (0 for no gate, which does not count them); for metrics and tests. */
    abstract long commits();

    /** Whether this thread is inside a write transaction that passed this gate (false for no gate). */
    abstract boolean heldByCurrentThread();

    static final class Open extends WriteGate {
        private final Jdbi writer;

        Open(Jdbi writer) {
            this.writer = writer;
        }

        @Override
        <T> T write(HandleCallback<T, RuntimeException> work) {
            return writer.inTransaction(h -> BeforeCommit.around(h, work));
        }

        @Override
        <T> T joined(HandleCallback<T, RuntimeException> work) {
            return writer.withHandle(work); // JDBI hands this thread's open handle back, if it has one
        }

        @Override
        int waiting() {
            return 0;
        }

        @Override
        long commits() {
            return 0;
        }

        @Override
        boolean heldByCurrentThread() {
            return false;
        }
    }

    /**
     * Group commit over one connection. The lock is held while a writer runs its work (or commits); the transaction
     * ({@link #open}, {@link #group}) outlives a holder when others are queued behind it:
     *
     * <ol>
     * <li>A writer takes the lock (fair, bounded wait). If no transaction is open it begins one and runs its work
     *     directly in it; otherwise it runs its work inside a savepoint, so a failure undoes only its own writes.
     * <li>If nobody is queued (or the group is full) it commits at once: one writer alone commits as it always did.
     *     Otherwise it releases the lock with the transaction still open, for the writers queued behind it.
     * <li>A writer whose group is not committed yet takes the lock once more (at the back of the fair queue) and, if
     *     its group is still the open one, commits it: the group is everyone who ran their work in between. Each
     *     writer of a group waits for that commit before it returns, and a failed commit fails all of them.
     * </ol>
     *
     * A work that fails is not part of the group: its savepoint is rolled back (or, when it was the first, the whole
     * transaction, which held nothing else) and it is answered at once. If SQLite itself dropped the transaction
     * (a failure that rolls back everything, e.g. a full disk), the group fails as a whole.
     */
    static final class Grouped extends WriteGate {
        private static final String SAVEPOINT = "SAVEPOINT write_gate";
        private static final String RELEASE = "RELEASE write_gate";
        private static final String ROLLBACK_TO = "ROLLBACK TO write_gate";

        private final ReentrantLock lock = new ReentrantLock(true);
        private final Jdbi writer;
        private final long maxWaitNanos;
        private final int maxQueue;
        private final int maxGroup;
        /** The transaction in progress and the group in it; guarded by {@link #lock}, both null between groups. */
        private Handle open;

        private Group group;
        private volatile long commits;

        /** One commit's writers; its outcome is set under the lock and read by its members after it. */
        private static final class Group {
            int members;
            volatile boolean ended;
            volatile RuntimeException failure;
        }

        Grouped(Jdbi writer, Duration maxWait, int maxQueue, int maxGroup) {
            this.writer = writer;
            this.maxWaitNanos = maxWait.toNanos();
            this.maxQueue = maxQueue;
            this.maxGroup = maxGroup;
        }

        @Override
        <T> T write(HandleCallback<T, RuntimeException> work) {
            if (lock.isHeldByCurrentThread()) return work.withHandle(open); // nested: joins this thread's transaction
            enter();
            Group mine;
            T result;
            try {
                boolean first = open == null;
                if (first) begin();
                mine = group;
                try {
                    if (!first) open.execute(SAVEPOINT);
                    result = work.withHandle(open);
                    if (!first) open.execute(RELEASE);
                } catch (RuntimeException | Error failure) {
                    undo(first, failure);
                    throw failure;
                }
                mine.members++;
                if (mine.members >= maxGroup || !lock.hasQueuedThreads()) commit();
            } finally {
                lock.unlock();
            }
            if (!mine.ended) {
                lock.lock(); // behind the writers that joined the group meanwhile: the first of them back commits it
                try {
                    if (group == mine) commit();
                } finally {
                    lock.unlock();
                }
            }
            if (mine.failure != null) {
                throw new TransactionException(
                        "the write was rolled back: the commit of its group failed", mine.failure);
            }
            return result;
        }

        @Override
        <T> T joined(HandleCallback<T, RuntimeException> work) {
            if (!lock.isHeldByCurrentThread()) throw new IllegalStateException("not inside a write transaction");
            return work.withHandle(open);
        }

        /** Takes the lock, or refuses the write (nothing done) when the queue is full or the wait too long. */
        private void enter() {
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
                throw busy("waited " + Duration.ofNanos(maxWaitNanos).toMillis() + " ms behind " + lock.getQueueLength()
                        + " other writes");
            }
        }

        private void begin() {
            Handle h = writer.open();
            try {
                h.begin();
            } catch (RuntimeException e) {
                closeQuietly(h, e);
                throw e;
            }
            open = h;
            group = new Group();
        }

        /** Undoes a failed work's writes: its savepoint, or the whole transaction when it was alone in it. */
        private void undo(boolean first, Throwable failure) {
            if (first) {
                end(null, failure);
                return;
            }
            try {
                open.execute(ROLLBACK_TO);
                open.execute(RELEASE);
            } catch (RuntimeException lost) {
                // SQLite rolled the whole transaction back itself: the group's earlier writes are gone with it
                failure.addSuppressed(lost);
                end(
                        new TransactionException("the transaction was lost when a write in its group failed", failure),
                        failure);
            }
        }

        private void commit() {
            RuntimeException failed = null;
            try {
                open.commit();
                commits++; // under the lock: one writer at a time
            } catch (RuntimeException e) {
                failed = e;
            }
            end(failed, failed);
        }

        /** Ends the open transaction (rolled back unless committed), closes its handle and gives the group its outcome. */
        private void end(RuntimeException groupFailure, Throwable cause) {
            Handle h = open;
            Group g = group;
            open = null;
            group = null;
            if (h.isInTransaction()) {
                try {
                    h.rollback();
                } catch (RuntimeException e) {
                    if (cause != null) cause.addSuppressed(e);
                }
            }
            closeQuietly(h, cause);
            g.failure = groupFailure;
            g.ended = true;
        }

        private static void closeQuietly(Handle h, Throwable cause) {
            try {
                h.close();
            } catch (RuntimeException e) {
                if (cause != null) cause.addSuppressed(e);
            }
        }

        @Override
        int waiting() {
            return lock.getQueueLength();
        }

        @Override
        long commits() {
            return commits;
        }

        @Override
        boolean heldByCurrentThread() {
            return lock.isHeldByCurrentThread();
        }

        private static StoreBusyException busy(String why) {
            return new StoreBusyException(
                    "The database is busy writing (" + why + "); try again shortly.", Duration.ofSeconds(1));
        }
    }
}
