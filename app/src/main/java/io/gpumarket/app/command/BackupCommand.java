package io.gpumarket.app.command;

import io.gpumarket.store.jdbc.SqliteBackup;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gpumarket admin backup FILE}: a consistent copy of the SQLite database, taken while the server runs
 * ({@link SqliteBackup}: one read transaction, so writes go on). PostgreSQL has its own tools (docs/operations.md).
 */
@Command(
        name = "backup",
        mixinStandardHelpOptions = true,
        description =
                "Copy the SQLite database to FILE while the server runs (PostgreSQL: pg_dump, docs/operations.md).")
public final class BackupCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "where the copy goes (must not exist)")
    Path file;

    @Option(names = "--db", description = "the server's database URL (default: gpumarket.db under $GPUMARKET_HOME)")
    String db;

    @Override
    public Integer call() throws Exception {
        String url = Databases.sqliteUrl(db, "backup");
        if (url == null) return 2;
        SqliteBackup.Copy copy = SqliteBackup.backup(url, file);
        System.out.println("backed up " + SqliteBackup.file(url) + " to " + copy.file() + " (schema version "
                + copy.schemaVersion() + ", " + copy.bytes() + " bytes; integrity and ledger checked)");
        return 0;
    }
}
