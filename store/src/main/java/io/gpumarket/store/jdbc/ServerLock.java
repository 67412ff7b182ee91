package io.gpumarket.store.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The mark of a server running on a SQLite file: an OS lock on {@code <file>.lock}, held from the server's start to
 * its stop and let go by the kernel when the process dies, so it is never stale. {@code admin restore} refuses while
 * it is held (replacing a database under a running server would lose its writes or corrupt the file), and a second
 * server on the same file is refused at start (SQLite's one writer belongs to one JVM: design §7).
 */
public final class ServerLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private ServerLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock of the SQLite database at {@code jdbcUrl}, or empty when another server holds it. */
    public static Optional<ServerLock> tryAcquire(String jdbcUrl) {
        Path lockFile = lockFile(SqliteDialect.databaseFile(jdbcUrl));
        FileChannel channel = null;
        try {
            // made before the database, so its directory gets the database's private mode (docs/security.md)
            SqliteDialect.createDirectories(lockFile.getParent());
            channel = FileChannel.open(
                    lockFile,
                    java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                return Optional.empty();
            }
            return Optional.of(new ServerLock(channel, lock));
        } catch (OverlappingFileLockException heldInThisJvm) {
            closeQuietly(channel);
            return Optional.empty();
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot open the server lock " + lockFile, e);
        }
    }

    /** Whether a server runs on the SQLite database at {@code jdbcUrl} now. */
    public static boolean held(String jdbcUrl) {
        Optional<ServerLock> lock = tryAcquire(jdbcUrl);
        lock.ifPresent(ServerLock::close);
        return lock.isEmpty();
    }

    static Path lockFile(Path database) {
        return database.resolveSibling(database.getFileName() + ".lock");
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // the channel's close below lets go of it too
        } finally {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing held any more either way
        }
    }
}
