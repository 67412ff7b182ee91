package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gpumarket.api.agent.DesiredInstance;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Secrets at rest (docs/security.md): an instance's own key is shown once and handed to its agent, but the database
 * never holds it in clear; the database files and the server secret are readable by the server's user only.
 */
class SecretsAtRestTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static TestServer.Account renter;
    static TestServer.Hosted machine;

    @BeforeAll
    static void start() {
        renter = server.newRenter();
        machine = server.hostMachine(
                server.newUser(),
                TestMachines.machine("RTX 4090", 8, "Oslo, NO", 48000),
                0.4,
                Map.of("verification", "verified"));
    }

    @Test
    void the_database_files_hold_no_clear_instance_key_after_a_rent_yet_the_key_works_and_reaches_the_agent()
            throws IOException {
        assumeTrue(TestServer.backend().equals("sqlite"), "the database files are SQLite's");
        Rentals.Rented rented = Rentals.rentOne(server, renter, machine.id());

        byte[] key = rented.key().getBytes(StandardCharsets.US_ASCII);
        for (String f : new String[] {"gpumarket.db", "gpumarket.db-wal", "gpumarket.db-shm"}) {
            Path file = server.home().resolve(f);
            if (Files.exists(file))
                assertThat(indexOf(Files.readAllBytes(file), key)).as(f).isEqualTo(-1);
        }
        assertThat(Http.get(server.api() + "/instances/" + rented.id() + "/", rented.key())
                        .status())
                .isEqualTo(200);
        DesiredInstance desired = server.agent(machine).sync().instances().stream()
                .filter(d -> d.id() == rented.id())
                .findFirst()
                .orElseThrow();
        assertThat(desired.containerApiKey()).isEqualTo(rented.key());
    }

    @Test
    void the_database_files_and_the_instance_key_secret_are_the_server_users_alone() throws IOException {
        Rentals.rentOne(server, renter, machine.id());

        assertThat(mode(server.home().resolve("instance-key.secret"))).isEqualTo("rw-------");
        if (TestServer.backend().equals("sqlite")) {
            assertThat(mode(server.home().resolve("gpumarket.db"))).isEqualTo("rw-------");
            assertThat(mode(server.home().resolve("gpumarket.db-wal"))).isEqualTo("rw-------");
            assertThat(mode(server.home().resolve("gpumarket.db-shm"))).isEqualTo("rw-------");
        }
    }

    @Test
    void a_database_in_a_directory_the_server_makes_gets_a_0700_directory_and_a_0600_file() throws IOException {
        assumeTrue(TestServer.backend().equals("sqlite"), "the database files are SQLite's");
        Path parent = Files.createTempDirectory("gpumarket-secrets");
        Path db = parent.resolve("made/by/server/market.db");
        var config = io.gpumarket.server.ServerConfig.defaults(parent.resolve("home"))
                .withListen("127.0.0.1", 0)
                .withDatabase("jdbc:sqlite:" + db, null, null);
        try (var app = io.gpumarket.server.ServerApp.start(config)) {
            assertThat(mode(parent.resolve("made"))).isEqualTo("rwx------");
            assertThat(mode(db.getParent())).isEqualTo("rwx------");
            assertThat(mode(db)).isEqualTo("rw-------");
            assertThat(mode(Path.of(db + "-wal"))).isEqualTo("rw-------");
            assertThat(mode(parent.resolve("home"))).isEqualTo("rwx------");
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
