package io.gpumarket.agent.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SSH host private key is readable by the agent's user only, in a directory of its own. */
class HostKeysTest {
    @TempDir
    Path tmp;

    @Test
    void the_generated_host_key_is_0600_in_a_0700_directory() throws Exception {
        Path dir = tmp.resolve("ssh");

        HostKeys.load(dir);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(HostKeys.FILE))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                .isEqualTo("rwx------");
    }

    @Test
    void a_host_key_left_readable_by_others_is_closed_at_the_next_start() throws Exception {
        Path dir = tmp.resolve("ssh");
        HostKeys.load(dir);
        Files.setPosixFilePermissions(dir.resolve(HostKeys.FILE), PosixFilePermissions.fromString("rw-r--r--"));

        HostKeys.load(dir);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(HostKeys.FILE))))
                .isEqualTo("rw-------");
    }
}
