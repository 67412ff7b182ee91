package io.gpumarket.store.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import org.sqlite.SQLiteConfig;

/**
 * Online backups of the SQLite database and their restore ({@code gpumarket admin backup|restore}, docs/operations.md
 * "Backups and restore").
 *
 * <p>A backup is {@code VACUUM INTO} on a connection of its own: one read transaction, so in WAL mode it copies the
 * last commit as of its start, whole, while the server goes on writing (writers are not blocked and do not restart it,
 * unlike the page-stepping backup API, which starts over whenever another connection writes and so may never finish
 * under a steady load). The copy is compact, has no WAL of its own, and is checked before it is called done: SQLite's
 * integrity check and the ledger's own ({@link LedgerAudit}).
 */
public final class SqliteBackup {
    /** What a backup or restore wrote: the file, its schema version and size. */
    public record Copy(Path file, String schemaVersion, long bytes) {}

    private SqliteBackup() {}

    /** The database file a {@code jdbc:sqlite:} URL names. */
    public static Path file(String jdbcUrl) {
        return SqliteDialect.databaseFile(jdbcUrl);
    }

    /**
     * Copies the database at {@code jdbcUrl} to {@code target} (which must not exist), online.
     *
     * @throws IllegalArgumentException when there is no database there, or the target exists
     * @throws IllegalStateException when the copy fails its checks (it is deleted)
     */
    public static Copy backup(String jdbcUrl, Path target) throws SQLException {
        Path source = file(jdbcUrl);
        if (!Files.isRegularFile(source)) throw new IllegalArgumentException("no database at " + source);
        Path out = target.toAbsolutePath();
        if (Files.exists(out)) throw new IllegalArgumentException(out + " exists; a backup never overwrites a file");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + source);
                Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 10000");
            s.execute("VACUUM INTO '" + out.toString().replace("'", "''") + "'");
        }
        try {
            Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-------"));
            return verify(out);
        } catch (RuntimeException | SQLException e) {
            deleteQuietly(out);
            throw e;
        } catch (IOException e) {
            deleteQuietly(out);
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Puts the backup {@code backup} in place of the database at {@code jdbcUrl}, which no server may be running on
     * ({@link ServerLock}). The database it replaces is kept beside it as {@code <file>.before-restore-<time>} (with
     * its WAL, if a crash left one), so a restore can itself be undone.
     *
     * @throws IllegalStateException when a server runs on the database, or the backup fails its checks
     */
    public static Copy restore(Path backup, String jdbcUrl, Clock clock) throws SQLException, IOException {
        Path db = file(jdbcUrl);
        Copy checked = verify(backup.toAbsolutePath());
        try (ServerLock lock = ServerLock.tryAcquire(jdbcUrl)
                .orElseThrow(() -> new IllegalStateException(
                        "a server is running on " + db + "; stop it before restoring (docs/operations.md)"))) {
            Path staged = db.resolveSibling(db.getFileName() + ".restoring");
            Files.copy(backup, staged, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(staged, PosixFilePermissions.fromString("rw-------"));
            if (Files.exists(db)) {
                String keep =
                        db.getFileName() + ".before-restore-" + clock.instant().getEpochSecond();
                for (String suffix : List.of("", "-wal", "-shm")) {
                    Path f = db.resolveSibling(db.getFileName() + suffix);
                    if (Files.exists(f)) Files.move(f, db.resolveSibling(keep + suffix));
                }
            }
            Files.move(staged, db, StandardCopyOption.ATOMIC_MOVE);
            return new Copy(db, checked.schemaVersion(), checked.bytes());
        }
    }

    /**
     * Checks a backup file: SQLite's integrity check, a gpumarket schema (Flyway's history), and the ledger's
     * consistency.
     *
     * @throws IllegalStateException naming what failed
     */
    public static Copy verify(Path file) throws SQLException {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("no file " + file);
        SQLiteConfig readOnly = new SQLiteConfig();
        readOnly.setReadOnly(true);
        try (Connection c = readOnly.createConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                String result = rs.next() ? rs.getString(1) : "no answer";
                if (!"ok".equals(result)) throw new IllegalStateException(file + " is damaged: " + result);
            }
            String version;
            try (ResultSet rs = s.executeQuery("SELECT version FROM flyway_schema_history WHERE success = 1"
                    + " AND version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1")) {
                version = rs.next() ? rs.getString(1) : null;
            } catch (SQLException e) {
                throw new IllegalStateException(file + " is not a gpumarket database (no schema history)", e);
            }
            List<LedgerAudit.Mismatch> mismatches = LedgerAudit.mismatches(c);
            if (!mismatches.isEmpty()) {
                throw new IllegalStateException(file + ": " + mismatches.size()
                        + " account balance(s) differ from their ledger sums, e.g. " + mismatches.getFirst());
            }
            return new Copy(file, version, Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException ignored) {
            // the error being thrown says more
        }
    }
}
