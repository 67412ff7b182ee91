package io.gpumarket.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.gpumarket.store.StoreConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * SQLite tuned as kine and k3s run it: WAL so readers never block the writer, writers queued one at a time in the
 * JVM and committed in groups ({@link WriteGate}; the busy timeout is left for other processes),
 * {@code synchronous=FULL} so a commit survives power loss, and IMMEDIATE transactions so a
 * transaction takes the write lock at BEGIN: two transactions that both read and then write can otherwise
 * deadlock on the lock upgrade (SQLITE_BUSY with no waiting).
 */
final class SqliteDialect implements Dialect {
    /**
     * Only for writers outside this JVM (a second process on the same file): inside it, writers queue in the
     * {@link WriteGate} and never meet a held write lock, so no request thread waits in the busy handler.
     */
    private static final int BUSY_TIMEOUT_MS = 10_000;
    /** The longest a write waits for its turn before it is refused (503 + Retry-After): below clients' timeouts. */
    static final java.time.Duration MAX_WRITE_WAIT = java.time.Duration.ofSeconds(5);
    /** The most writes that queue; one more is refused at once. */
    static final int MAX_WRITE_QUEUE = 2_000;
    /**
     * The most transactions one commit holds: enough to share an fsync among every writer a busy server queues, few
     * enough that the first of them is not kept waiting long for the last.
     */
    static final int MAX_GROUP = 256;

    @Override
    public String name() {
        return "sqlite";
    }

    /** The readers' pool: in WAL mode each reads the last commit, whatever the writer is doing. */
    @Override
    public DataSource open(StoreConfig config) {
        return pool(config, "gpumarket-sqlite-read", config.maxPoolSize());
    }

    /**
     * The writer's own connection: one, since SQLite has one writer; taken only by the thread that holds the
     * {@link WriteGate}, so a write never queues for a connection behind readers while holding the gate.
     */
    @Override
    public DataSource openWriter(StoreConfig config, DataSource readers) {
        return pool(config, "gpumarket-sqlite-write", 1);
    }

    private static DataSource pool(StoreConfig config, String name, int size) {
        String url = config.jdbcUrl();
        createPrivately(databaseFile(url));
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setBusyTimeout(BUSY_TIMEOUT_MS);
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        sqlite.enforceForeignKeys(true);
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        // Every insert here says RETURNING what it needs. With generated keys on (the driver's default) each UPDATE and
        // INSERT is first matched against a regular expression over its whole SQL, and an INSERT is followed by
        // SELECT last_insert_rowid(): on the heartbeat flush's 250-row statements the match alone was a fifth of the
        // server's CPU under 10,000 agents (docs/benchmarks.md).
        sqlite.setGetGeneratedKeys(false);
        SQLiteDataSource sqliteSource = new SQLiteDataSource(sqlite);
        sqliteSource.setUrl(url);

        HikariConfig pool = new HikariConfig();
        pool.setPoolName(name);
        pool.setDataSource(sqliteSource);
        pool.setMaximumPoolSize(size);
        return new HikariDataSource(pool);
    }

    /**
     * SQLite has one write lock per file: writers queue for it fairly in the JVM, never in the busy handler, and
     * the transactions of writers that queued together are committed with one fsync.
     */
    @Override
    public WriteGate writeGate(Jdbi writer) {
        return WriteGate.grouped(writer, MAX_WRITE_WAIT, MAX_WRITE_QUEUE, MAX_GROUP);
    }

    @Override
    public Map<String, String> migrationPlaceholders() {
        // AUTOINCREMENT: without it SQLite hands out max(id)+1, reusing the id of a deleted last row.
        return Map.of("id_pk", "INTEGER PRIMARY KEY AUTOINCREMENT");
    }

    @Override
    public Optional<String> uniqueViolation(SQLException e) {
        if (e instanceof SQLiteException s
                && (s.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
                        || s.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY)) {
            // "... UNIQUE constraint failed: users.username)" or "... failed: index 'users_email_key')"
            String message = String.valueOf(s.getMessage());
            int at = message.lastIndexOf("failed: ");
            return Optional.of(at < 0 ? message : message.substring(at + 8).replace(")", ""));
        }
        return Optional.empty();
    }

    /** A pool of connections to one memory database would be a pool of different, empty databases: refused. */
    static Path databaseFile(String url) {
        String path = url.substring("jdbc:sqlite:".length());
        if (path.startsWith("file:")) path = path.substring("file:".length());
        int query = path.indexOf('?');
        if (query >= 0) path = path.substring(0, query);
        if (path.isEmpty() || path.contains(":memory:") || url.contains("mode=memory")) {
            throw new IllegalArgumentException("database URL must name a SQLite file (a pooled in-memory database "
                    + "would be a different empty database per connection), got " + url);
        }
        return Path.of(path).toAbsolutePath();
    }

    /**
     * A fresh install points at a data directory that does not exist yet: it is made 0700 (the directories we
     * create; an existing one keeps the mode its maker gave it), and the database file 0600 before SQLite opens it,
     * so that SQLite, which gives its -wal and -shm files the database file's mode, makes them 0600 too. A file
     * that exists is left alone (docs/security.md "Secrets at rest").
     */
    private static void createPrivately(Path file) {
        try {
            createDirectories(file.getParent());
            if (!Files.exists(file)) {
                try {
                    Files.createFile(
                            file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (FileAlreadyExistsException raced) {
                    // another process made it meanwhile
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the database file " + file + " or its directory", e);
        }
    }

    /** Makes the directories a database lives in, each new one 0700 (the server lock's too: ServerLock). */
    static void createDirectories(Path dir) throws IOException {
        if (dir == null || Files.isDirectory(dir)) return;
        createDirectories(dir.toAbsolutePath().getParent());
        try {
            Files.createDirectory(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException raced) {
            // made meanwhile by another process
        }
    }

    /** Nothing to take: every write transaction holds SQLite's one write lock from BEGIN IMMEDIATE on. */
    @Override
    public void lockMeter(Handle h, boolean exclusive) {
        // serialised already
    }

    @Override
    public String forUpdate() {
        return "";
    }

    /** Multi-row VALUES: in process, so what costs is the statements' count, not a round trip. */
    @Override
    public void appendEntries(
            java.sql.Connection c, java.util.List<io.gpumarket.store.Posting> postings, long createdAt)
            throws SQLException {
        Rows.insert(c, Rows.LEDGER_INSERT, "", 6, postings, (ps, i, p) -> Rows.bindEntry(ps, i, p, createdAt));
    }

    @Override
    public void addToBalances(java.sql.Connection c, java.util.List<Map.Entry<Long, Long>> amounts)
            throws SQLException {
        Rows.insert(
                c,
                "INSERT INTO account_balances (user_id, balance) VALUES ",
                Rows.BALANCE_UPSERT,
                2,
                amounts,
                (ps, i, e) -> {
                    ps.setLong(i, e.getKey());
                    ps.setLong(i + 1, e.getValue());
                });
    }
}
