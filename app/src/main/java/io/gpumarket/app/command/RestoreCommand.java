package io.gpumarket.app.command;

import io.gpumarket.store.jdbc.SqliteBackup;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gpumarket admin restore FILE}: puts a backup in place of the SQLite database, with the server stopped (it
 * refuses while one runs on the file); the database it replaces is kept beside it. The next start migrates the
 * restored schema forward if the backup is older than the build.
 */
@Command(
        name = "restore",
        mixinStandardHelpOptions = true,
        description = "Replace the SQLite database with the backup FILE (the server must be stopped).")
public final class RestoreCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "a file `gpumarket admin backup` wrote")
    Path file;

    @Option(names = "--db", description = "the server's database URL (default: gpumarket.db under $GPUMARKET_HOME)")
    String db;

    @Override
    public Integer call() throws Exception {
        String url = Databases.sqliteUrl(db, "restore");
        if (url == null) return 2;
        try {
            SqliteBackup.Copy restored = SqliteBackup.restore(file, url, Clock.systemUTC());
            System.out.println("restored " + file + " to " + restored.file() + " (schema version "
                    + restored.schemaVersion() + "); the database it replaced is kept beside it as *.before-restore-*");
            return 0;
        } catch (IllegalStateException e) {
            System.err.println("gpumarket admin restore: " + e.getMessage());
            return 1;
        }
    }
}
