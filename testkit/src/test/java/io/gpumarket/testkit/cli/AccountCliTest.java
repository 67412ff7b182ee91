package io.gpumarket.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.api.Wire;
import io.gpumarket.testkit.Ssh;
import io.gpumarket.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration (URL and key from option, environment, or the 0600 config file), the account verbs
 * ({@code show user}, SSH keys) and how failures are reported ({@code Failed with error <status>: <msg>},
 * non-zero exit), against a real server.
 */
class AccountCliTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static TestServer.Account user;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        user = Rent.renter(server);
    }

    @Test
    void show_user_prints_the_account_without_any_key() throws Exception {
        Cli cli = Cli.of(server.url(), user.key(), dir.resolve("show"));
        var table = cli.run("show", "user");
        assertThat(table.code()).as(table.describe()).isZero();
        assertThat(table.out().lines().toList()).hasSize(2);
        assertThat(table.out().lines().findFirst().orElseThrow()).startsWith("Balance  Bal. Thld");
        assertThat(table.out()).contains("100.00").contains("@test.local");

        var raw = cli.run("show", "user", "--raw");
        JsonNode u = Wire.mapper().readTree(raw.out());
        assertThat(u.get("id").asLong()).isEqualTo(user.id());
        assertThat(u.get("credit").asDouble()).isEqualTo(100.0);
        assertThat(u.has("api_key")).isFalse();
        assertThat(cli.run("show", "user", "-q").out()).isEqualTo(user.id() + "\n");
    }

    @Test
    void set_api_key_saves_it_readable_by_the_owner_only_and_later_commands_use_it() throws Exception {
        Cli noKey = Cli.of(server.url(), null, dir.resolve("saved"));
        var refused = noKey.run("show", "user");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).startsWith("Failed with error 40").contains("No API key was sent");

        var saved = noKey.run("set", "api-key", user.key());
        Path file = noKey.configDir().resolve("api_key");
        assertThat(saved.out()).isEqualTo("Your api key has been saved in " + file + "\n");
        assertThat(Files.readString(file).strip()).isEqualTo(user.key());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");

        var shown = noKey.run("show", "user", "-q");
        assertThat(shown.out()).isEqualTo(user.id() + "\n");

        // the environment beats the file, the option beats both
        TestServer.Account other = server.newUser();
        assertThat(noKey.with("GPUMARKET_API_KEY", other.key())
                        .run("show", "user", "-q")
                        .out())
                .isEqualTo(other.id() + "\n");
        assertThat(noKey.with("GPUMARKET_API_KEY", other.key())
                        .run("--api-key", user.key(), "show", "user", "-q")
                        .out())
                .isEqualTo(user.id() + "\n");
        assertThat(noKey.run("show", "user", "-q", "--api-key", other.key()).out())
                .isEqualTo(other.id() + "\n");
    }

    @Test
    void the_url_comes_from_the_option_the_environment_or_the_saved_file() throws Exception {
        Cli cli = Cli.of(null, user.key(), dir.resolve("url"));
        // a port that was free a moment ago: nothing answers there (a fixed one might be taken on some host)
        int closed;
        try (var probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        var nowhere = cli.run("--url", "http://127.0.0.1:" + closed, "show", "user");
        assertThat(nowhere.code()).isEqualTo(1);
        assertThat(nowhere.err()).startsWith("error: cannot reach http://127.0.0.1:" + closed);

        assertThat(cli.run("--url", server.url(), "show", "user", "-q").out()).isEqualTo(user.id() + "\n");
        assertThat(cli.with("GPUMARKET_URL", server.url())
                        .run("show", "user", "-q")
                        .out())
                .isEqualTo(user.id() + "\n");
        assertThat(cli.run("set", "url", server.url() + "/").code()).isZero();
        assertThat(cli.run("show", "user", "-q").out()).isEqualTo(user.id() + "\n");
        assertThat(cli.run("set", "url", "not a url").err()).startsWith("Error:  'not a url' is not an http(s) URL");
    }

    @Test
    void a_wrong_key_fails_with_the_servers_status_and_message() throws Exception {
        Cli cli = Cli.of(server.url(), "not-a-key", dir.resolve("wrong"));
        var r = cli.run("show", "instances");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err())
                .startsWith("Failed with error 401: Invalid user key\n")
                .contains("Sent the key from $GPUMARKET_API_KEY (ends in …-key)");
        assertThat(r.out()).isEmpty();

        var raw = cli.run("show", "user", "--raw");
        assertThat(raw.code()).isEqualTo(1);
        JsonNode error = Wire.mapper().readTree(raw.err());
        assertThat(error.get("error").asBoolean()).isTrue();
        assertThat(error.get("status_code").asInt()).isEqualTo(401);
        assertThat(error.get("msg").asText()).isEqualTo("Invalid user key");
    }

    @Test
    void ssh_keys_are_added_listed_replaced_and_deleted() throws Exception {
        TestServer.Account owner = Rent.renter(server);
        Cli cli = Cli.of(server.url(), owner.key(), dir.resolve("keys"));
        Ssh first = Ssh.newIdentity(Files.createDirectories(dir.resolve("k1")));
        Ssh second = Ssh.newIdentity(Files.createDirectories(dir.resolve("k2")));

        var fromFile =
                cli.run("create", "ssh-key", dir.resolve("k1/id_ed25519.pub").toString());
        assertThat(fromFile.code()).as(fromFile.describe()).isZero();
        assertThat(fromFile.out()).matches("ssh-key created: id \\d+\\n");
        long id = Long.parseLong(fromFile.out().replaceAll("\\D", ""));

        var listed = cli.run("show", "ssh-keys");
        assertThat(listed.out().lines().toList()).hasSize(2);
        assertThat(listed.out().lines().toList().get(1)).startsWith(id + "  ").contains("ssh-ed25519");
        JsonNode raw =
                Wire.mapper().readTree(cli.run("show", "ssh-keys", "--raw").out());
        assertThat(raw.get(0).get("key").asText()).isEqualTo(first.publicKey());

        var updated = cli.run("update", "ssh-key", Long.toString(id), second.publicKey());
        assertThat(updated.out()).isEqualTo("ssh-key " + id + " updated.\n");
        assertThat(Wire.mapper()
                        .readTree(cli.run("show", "ssh-keys", "--raw").out())
                        .get(0)
                        .get("key")
                        .asText())
                .isEqualTo(second.publicKey());

        assertThat(cli.run("delete", "ssh-key", Long.toString(id)).out()).isEqualTo("ssh-key " + id + " deleted.\n");
        assertThat(Wire.mapper().readTree(cli.run("show", "ssh-keys", "--raw").out()))
                .isEmpty();
        var again = cli.run("delete", "ssh-key", Long.toString(id));
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).startsWith("Failed with error 404: ");
    }

    @Test
    void a_private_key_or_garbage_is_refused_before_anything_is_sent() throws Exception {
        Cli cli = Cli.of(server.url(), user.key(), dir.resolve("refuse"));
        Ssh.newIdentity(Files.createDirectories(dir.resolve("k3")));
        var priv = cli.run("create", "ssh-key", dir.resolve("k3/id_ed25519").toString());
        assertThat(priv.code()).isEqualTo(1);
        assertThat(priv.err()).contains("*private* SSH key");
        var junk = cli.run("create", "ssh-key", "hello world");
        assertThat(junk.code()).isEqualTo(1);
        assertThat(junk.err()).contains("does not look like an SSH public key");
    }

    @Test
    void without_an_argument_create_ssh_key_uses_or_makes_the_default_key_pair() throws Exception {
        TestServer.Account owner = Rent.renter(server);
        Cli cli = Cli.of(server.url(), owner.key(), dir.resolve("default"));
        var no = cli.input("n\n", "create", "ssh-key");
        assertThat(no.code()).isEqualTo(1);
        assertThat(no.err()).isEqualTo("Aborted.\n");

        var made = cli.run("create", "ssh-key", "-y");
        assertThat(made.code()).as(made.describe()).isZero();
        Path pub = dir.resolve("default/home/.ssh/id_ed25519.pub");
        assertThat(made.out()).contains("Generated ").contains("ssh-key created: id ");
        JsonNode keys =
                Wire.mapper().readTree(cli.run("show", "ssh-keys", "--raw").out());
        assertThat(keys.get(0).get("key").asText())
                .isEqualTo(Files.readString(pub).strip());
    }

    @Test
    void an_unknown_verb_or_bad_argument_is_a_usage_error() {
        Cli cli = Cli.of(server.url(), user.key(), dir.resolve("usage"));
        assertThat(cli.run("show", "instance", "not-a-number").code()).isEqualTo(2);
        assertThat(cli.run("frobnicate").code()).isEqualTo(2);
        var groups = cli.run("show");
        assertThat(groups.code()).isZero();
        assertThat(groups.out()).contains("instances").contains("ssh-keys");
    }
}
