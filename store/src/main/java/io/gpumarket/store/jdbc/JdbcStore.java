package io.gpumarket.store.jdbc;

import io.gpumarket.store.Repos;
import io.gpumarket.store.SchemaStatus;
import io.gpumarket.store.Store;
import io.gpumarket.store.StoreConfig;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.ValidateResult;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@link Store} on SQLite or PostgreSQL (the URL scheme decides), over a HikariCP pool, migrated by Flyway
 * when opened.
 *
 * <p>Transactions nest by joining: {@code inTransaction} or any {@code repos()} call made on a thread that is
 * already inside {@code inTransaction} runs on that transaction's handle, commits with it and is rolled back
 * with it. (Opening a second connection instead would, on SQLite, wait for the write lock the outer
 * transaction holds until the busy timeout.) On SQLite every write transaction first takes the store's one
 * {@link WriteGate}, then the one writer connection, and is committed with the writes queued beside it (group
 * commit: it returns only once that commit is done); reads take a connection of the readers' pool and no gate
 * (WAL: they see the last commit while a write is in progress). An exception that an inner call throws and the outer work catches
 * does not undo the inner writes; let it propagate to roll everything back.
 */
public final class JdbcStore implements Store {
    private final DataSource dataSource;
    private final DataSource writerSource;
    private final Dialect dialect;
    private final Repos perCall;
    private final WriteGate gate;

    private JdbcStore(DataSource dataSource, DataSource writerSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.writerSource = writerSource;
        this.dialect = dialect;
        Jdbi readers = Jdbi.create(dataSource);
        Jdbi writer = writerSource == dataSource ? readers : Jdbi.create(writerSource);
        this.gate = dialect.writeGate(writer);
        this.perCall = new JdbcRepos(Session.perCall(readers, dialect, gate));
    }

    /**
     * Connects and brings the schema up to date (Flyway: {@code classpath:db/migration}, shared by both databases,
     * then {@code classpath:db/<dialect>} where a database needs a statement the other lacks).
     *
     * @throws IllegalArgumentException for a SQLite URL that names no file (in-memory databases cannot be pooled)
     */
    public static JdbcStore open(StoreConfig config) {
        Dialect dialect = Dialect.of(config);
        DataSource dataSource = dialect.open(config);
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations(migrationLocations(dialect))
                    .placeholders(dialect.migrationPlaceholders())
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            closePool(dataSource, e);
            throw e;
        }
        DataSource writerSource;
        try {
            writerSource = dialect.openWriter(config, dataSource);
        } catch (RuntimeException e) {
            closePool(dataSource, e);
            throw e;
        }
        return new JdbcStore(dataSource, writerSource, dialect);
    }

    /**
     * Flyway set up with this build's migrations for the database {@code config} names, connecting only when used:
     * for {@link #check} and for tests that migrate step by step ({@code .target(version)}).
     */
    public static Flyway flyway(StoreConfig config) {
        Dialect dialect = Dialect.of(config);
        return Flyway.configure()
                .dataSource(config.jdbcUrl(), config.user(), config.password())
                .locations(migrationLocations(dialect))
                .placeholders(dialect.migrationPlaceholders())
                .load();
    }

    /**
     * Where the schema of the database {@code config} names stands, without changing it (no migration runs, and a
     * SQLite file that does not exist is not created).
     *
     * @throws org.flywaydb.core.api.FlywayException when the database cannot be reached
     */
    public static SchemaStatus check(StoreConfig config) {
        if (config.sqlite() && !Files.exists(SqliteDialect.databaseFile(config.jdbcUrl()))) {
            return new SchemaStatus(null, null, List.of("every migration (no database file yet)"), List.of());
        }
        Flyway flyway = flyway(config);
        MigrationInfoService info = flyway.info();
        String current =
                info.current() == null ? null : info.current().getVersion().getVersion();
        String latest = null;
        List<String> pending = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (MigrationInfo m : info.all()) {
            MigrationState state = m.getState();
            String name = m.getVersion() + " " + m.getDescription();
            if (state.isResolved() && m.getVersion() != null)
                latest = m.getVersion().getVersion();
            if (state == MigrationState.PENDING) pending.add(name);
            else if (state.isFailed()) problems.add("migration " + name + " failed (" + state.getDisplayName() + ")");
            else if (!state.isResolved() && state.isApplied())
                problems.add("migration " + name + " is applied but unknown to this build (" + state.getDisplayName()
                        + "): the database was upgraded by a newer gpumarket");
        }
        ValidateResult validated = Flyway.configure()
                .configuration(flyway.getConfiguration())
                .ignoreMigrationPatterns("*:pending", "*:future")
                .load()
                .validateWithResult();
        if (!validated.validationSuccessful) problems.add(validated.getAllErrorMessages());
        return new SchemaStatus(
                current, latest, pending, problems.stream().distinct().toList());
    }

    /** Accounts whose kept balance differs from their ledger's sum ({@link LedgerAudit}); none when consistent. */
    public List<LedgerAudit.Mismatch> ledgerMismatches() {
        try (java.sql.Connection c = dataSource.getConnection()) {
            return LedgerAudit.mismatches(c);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("the ledger check could not read the database", e);
        }
    }

    private static String[] migrationLocations(Dialect dialect) {
        String own = "db/" + dialect.name();
        return JdbcStore.class.getClassLoader().getResource(own) == null
                ? new String[] {"classpath:db/migration"}
                : new String[] {"classpath:db/migration", "classpath:" + own};
    }

    /** Repositories whose every call is a transaction of its own (or joins the thread's current one). */
    @Override
    public Repos repos() {
        return perCall;
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. The
     * repositories it is given must not be used after it returns. On SQLite the transaction waits its turn in the
     * JVM first and may share its commit with the writes queued beside it ({@link WriteGate}); a full queue refuses it with {@link io.gpumarket.store.StoreBusyException}
     * before anything is done.
     */
    @Override
    public <T> T inTransaction(Function<Repos, T> work) {
        return gate.write(handle -> work.apply(new JdbcRepos(Session.bound(handle, dialect))));
    }

    /** Write transactions waiting for their turn now (always 0 on PostgreSQL). */
    public int writesWaiting() {
        return gate.waiting();
    }

    /**
     * Hands the connection pools to HikariCP's own metrics ({@code hikaricp_connections_active}, {@code _pending},
     * {@code _usage} … tagged {@code pool}): {@code registry} is a Micrometer {@code MeterRegistry}, passed as an
     * Object so that the store does not depend on Micrometer. Once per store.
     */
    public void bindPoolMetrics(Object registry) {
        if (dataSource instanceof com.zaxxer.hikari.HikariDataSource h) h.setMetricRegistry(registry);
        if (writerSource != dataSource && writerSource instanceof com.zaxxer.hikari.HikariDataSource h) {
            h.setMetricRegistry(registry);
        }
    }

    @Override
    public String dialect() {
        return dialect.name();
    }

    /** Closes the connection pool. */
    @Override
    public void close() {
        try {
            if (writerSource != dataSource) closePool(writerSource, null);
        } finally {
            closePool(dataSource, null);
        }
    }

    /** Closes the pool; a failure to close while already failing is attached to that failure, not thrown. */
    private static void closePool(DataSource resource, RuntimeException failure) {
        if (!(resource instanceof AutoCloseable c)) return;
        try {
            c.close();
        } catch (Exception e) {
            if (failure != null) failure.addSuppressed(e);
            else throw new IllegalStateException("closing the store's connection pool failed", e);
        }
    }
}
