package io.gpumarket.store;

import java.util.function.Function;

/**
 * The server's durable state. One implementation ({@code jdbc.JdbcStore}) serves SQLite and PostgreSQL; the
 * same contract suite (testkit {@code StoreContract}) runs against both.
 *
 * <p>Repositories obtained from {@link #repos()} run each call in its own transaction; {@link #inTransaction}
 * hands out repositories bound to one transaction, for work that must commit or fail as a whole.
 */
public interface Store extends AutoCloseable {
    Repos repos();

    <T> T inTransaction(Function<Repos, T> work);

    /** "sqlite" or "postgresql". */
    String dialect();

    @Override
    void close();
}
