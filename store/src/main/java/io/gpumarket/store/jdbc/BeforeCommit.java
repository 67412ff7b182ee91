package io.gpumarket.store.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;

/**
 * Steps a PostgreSQL write transaction runs last, just before it commits. Recording an event takes a global lock
 * (events commit in id order, so a reader's cursor never skips a late commit); taken in the middle of a transaction,
 * that lock was held while the transaction went on to lock rows, and a rent holding a machine's row while waiting
 * for it deadlocked with a sync holding it while waiting for the row (PostgreSQL found 22 such deadlocks in a run of
 * three replicas under load). Deferred here, the lock is taken only by a transaction that locks nothing after it
 * (the event tables have no foreign keys to wait on), so it can no longer close a cycle.
 */
final class BeforeCommit {
    private record Open(Handle handle, List<Consumer<Handle>> steps) {}

    private static final ThreadLocal<Open> OPEN = new ThreadLocal<>();

    private BeforeCommit() {}

    /**
     * Runs {@code work} in the transaction on {@code h}, then the steps added meanwhile; a transaction joined from
     * inside one already open here leaves its steps to the outermost.
     */
    static <T> T around(Handle h, HandleCallback<T, RuntimeException> work) {
        if (OPEN.get() != null) return work.withHandle(h);
        Open open = new Open(h, new ArrayList<>());
        OPEN.set(open);
        try {
            T result = work.withHandle(h);
            for (int i = 0; i < open.steps().size(); i++) open.steps().get(i).accept(h);
            return result;
        } finally {
            OPEN.remove();
        }
    }

    /** Whether {@code h} is the handle of a transaction whose last steps this thread runs. */
    static boolean openOn(Handle h) {
        Open open = OPEN.get();
        return open != null && open.handle() == h;
    }

    /** Adds a last step to this thread's open transaction (only while {@link #openOn} its handle). */
    static void add(Consumer<Handle> step) {
        OPEN.get().steps().add(step);
    }
}
