package io.gpumarket.store;

import java.util.function.Function;

/**
 * The server's durable state. One implementation ({@code jdbc.JdbcStore}) serves SQLite and PostgreSQL; the
 * same contract suite (testkit {@code StoreContract}) runs against both.
 *
 * <p>Repositories obtained from {@link #repos()} run each call in its own transaction; {@link #inTransaction}
 * hands out repositories bound to one transaction, for work that must commit or fail as a whole. Calls made on
 * a thread that is inside {@code inTransaction} (through {@link #repos()} or a nested {@code inTransaction}) join
 * that transaction.
 */
public interface Store extends AutoCloseable {
    /** Repositories whose every call is a transaction of its own (or joins the thread's current one). */
    Repos repos();

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    <T> T inTransaction(Function<Repos, T> work);

    /** "sqlite" or "postgresql". */
    String dialect();

    /** Releases the connections. */
    @Override
    void close();
}
