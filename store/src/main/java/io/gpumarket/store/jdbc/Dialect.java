package io.gpumarket.store.jdbc;

import io.gpumarket.store.StoreConfig;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

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

    /** Values for the {@code ${…}} placeholders in the shared migrations. */
    Map<String, String> migrationPlaceholders();

    /**
     * The name (or description) of the unique constraint this exception reports as violated; empty when it is
     * some other failure.
     */
    Optional<String> uniqueViolation(SQLException e);
}
