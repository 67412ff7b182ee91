package io.gpumarket.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceKeysTest {
    @TempDir
    Path tmp;

    @Test
    void the_secret_is_made_once_0600_in_a_0700_directory_and_gives_the_same_keys_after_a_restart() throws Exception {
        Path file = tmp.resolve("home/instance-key.secret");

        String first = InstanceKeys.load(file).keyOf(42);
        String again = InstanceKeys.load(file).keyOf(42);

        assertThat(again).isEqualTo(first).matches("[0-9a-f]{64}");
        assertThat(InstanceKeys.load(file).keyOf(43)).isNotEqualTo(first);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void another_secret_gives_other_keys() {
        assertThat(InstanceKeys.load(tmp.resolve("a")).keyOf(1))
                .isNotEqualTo(InstanceKeys.load(tmp.resolve("b")).keyOf(1));
    }

    @Test
    void a_secret_file_readable_by_others_is_closed_and_a_short_one_refused() throws Exception {
        Path open = tmp.resolve("open");
        InstanceKeys.load(open);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        InstanceKeys.load(open);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(open)))
                .isEqualTo("rw-------");

        Path shortOne = tmp.resolve("short");
        Files.writeString(shortOne, "abcd\n");
        assertThatThrownBy(() -> InstanceKeys.load(shortOne)).hasMessageContaining("64 hex digits");
    }
}
