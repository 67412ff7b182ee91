package io.gpumarket.server.metrics;

import io.gpumarket.store.Repos;
import io.gpumarket.store.Store;
import io.micrometer.core.instrument.Timer;
import java.util.function.Function;

/**
 * The store with every outermost {@link #inTransaction} timed ({@code gpumarket_store_transaction_seconds}): from
 * the call to its commit, so on SQLite the wait for the write gate is in it (that wait is what grows first when the
 * store falls behind). Nested transactions join the outer one and are not timed again. Per-call repository writes
 * ({@code repos()}) are single statements and are not timed.
 */
final class TimedStore implements Store {
    private static final ThreadLocal<Boolean> INSIDE = new ThreadLocal<>();

    private final Store store;
    private final Timer committed;
    private final Timer failed;

    TimedStore(Store store, Timer committed, Timer failed) {
        this.store = store;
        this.committed = committed;
        this.failed = failed;
    }

    @Override
    public Repos repos() {
        return store.repos();
    }

    @Override
    public <T> T inTransaction(Function<Repos, T> work) {
        if (INSIDE.get() != null) return store.inTransaction(work);
        INSIDE.set(Boolean.TRUE);
        long start = System.nanoTime();
        boolean ok = false;
        try {
            T result = store.inTransaction(work);
            ok = true;
            return result;
        } finally {
            INSIDE.remove();
            (ok ? committed : failed).record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public String dialect() {
        return store.dialect();
    }

    @Override
    public void close() {
        store.close();
    }
}
