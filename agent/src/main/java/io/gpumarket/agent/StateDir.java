package io.gpumarket.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The agent's state directory is its own: instances' files, the SSH host private key, pid records. It is made
 * 0700 at every start, whoever made it, so that no other user of the host (a renter's instance running under
 * another uid among them) can list or read anything below it (docs/security.md "Secrets at rest").
 */
public final class StateDir {
    private StateDir() {}

    public static void secure(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        if (!Files.isDirectory(abs)) {
            if (abs.getParent() != null) Files.createDirectories(abs.getParent());
            try {
                Files.createDirectory(
                        abs, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // made meanwhile; set below
            }
        }
        Files.setPosixFilePermissions(abs, PosixFilePermissions.fromString("rwx------"));
    }
}
