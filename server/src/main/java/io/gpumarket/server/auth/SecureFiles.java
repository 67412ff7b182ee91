package io.gpumarket.server.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Directories the server makes for its secrets and data: readable by its own user only. */
public final class SecureFiles {
    private SecureFiles() {}

    /** Writes {@code text} to {@code file} with mode 0600 from the start (a temp file moved into place). */
    public static void privateFile(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, text);
        Files.move(
                tmp,
                file,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Makes {@code dir} (ours alone: a dev home, an agent's state) 0700, whoever made it. */
    public static void ownDirectory(Path dir) throws IOException {
        directory(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    /**
     * Creates {@code dir} (and missing parents) with mode 0700. A directory that already exists is left as it is:
     * it was made by someone else (an operator's {@code /var/lib/gpumarket}, a shared mount), who chose its mode.
     */
    public static void directory(Path dir) throws IOException {
        if (dir == null || Files.isDirectory(dir)) return;
        directory(dir.toAbsolutePath().getParent());
        try {
            Files.createDirectory(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            // the umask may take bits away, never add them; set it exactly anyway
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            // made meanwhile by another process: its mode is its maker's
        }
    }
}
