package io.gpumarket.store.jdbc;

import io.gpumarket.store.StoreConfig;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * What differs between the two databases. The SQL of the repositories is shared (both speak {@code RETURNING},
 * {@code ON CONFLICT … DO NOTHING} and partial indexes); what is left is how to connect, the DDL of
 * auto-increment keys (Flyway placeholders), and how each driver reports a unique-constraint violation.
 */
sealed interface Dialect permits SqliteDialect, PostgresDialect {

    /** The dialect the URL scheme selects. */
    static Dialect of(StoreConfig config) {
        return config.sqlite() ? new SqliteDialect() : new PostgresDialect();
    }

    /** "sqlite" or "postgresql", as {@link io.gpumarket.store.Store#dialect()} reports it. */
    String name();

    /** A pooled data source with the connection settings this database needs; the caller closes it. */
    DataSource open(StoreConfig config);

    /**
     * The pool write transactions take their connection from: {@code readers} itself where writers share the pool,
     * or a pool of its own (closed by the caller when it is not {@code readers}).
     */
    DataSource openWriter(StoreConfig config, DataSource readers);

    /** The path every write transaction on {@code writer} (the writer's pool) takes ({@link WriteGate}). */
    WriteGate writeGate(Jdbi writer);

    /** Values for the {@code ${…}} placeholders in the shared migrations. */
    Map<String, String> migrationPlaceholders();

    /**
     * The name (or description) of the unique constraint this exception reports as violated; empty when it is
     * some other failure.
     */
    Optional<String> uniqueViolation(SQLException e);

    /**
     * Takes the meter lock for the rest of the handle's transaction: exclusive for a metering tick, shared for a
     * write of a billing-relevant time. Ticks and those writes then never interleave, so a write sees the watermark
     * of every tick that read before it.
     */
    void lockMeter(Handle h, boolean exclusive);

    /**
     * Orders the transactions that record events until they commit, so event ids commit in id order (a reader's
     * cursor never skips one committed late). SQLite has one writer already; PostgreSQL takes an advisory lock.
     */
    default void lockEvents(Handle h) {}

    /** The clause that makes a SELECT lock its rows until the transaction ends ("" where writes are serial anyway). */
    String forUpdate();

    /**
     * Appends ledger entries, all created at {@code createdAt}, in as few statements as this database does best
     * (a metering tick appends tens of thousands).
     */
    void appendEntries(java.sql.Connection c, java.util.List<io.gpumarket.store.Posting> postings, long createdAt)
            throws SQLException;

    /** Adds amounts to users' kept balances (a row made where there is none), in the order given. */
    void addToBalances(java.sql.Connection c, java.util.List<Map.Entry<Long, Long>> amounts) throws SQLException;
}
