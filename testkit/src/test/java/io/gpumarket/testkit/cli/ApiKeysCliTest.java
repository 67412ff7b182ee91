package io.gpumarket.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.api.Wire;
import io.gpumarket.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code create/show/delete api-key} against a real server: a scoped key works within its permissions only. */
class ApiKeysCliTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static TestServer.Account user;
    static CaptureProxy proxy;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        user = Rent.renter(server);
        proxy = new CaptureProxy(server.url());
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @Test
    void a_key_made_from_a_permission_file_can_do_what_it_grants_and_nothing_after_it_is_deleted() throws Exception {
        Cli cli = Cli.of(proxy.url(), user.key(), dir);
        Path perms = Files.writeString(dir.resolve("perms.json"), "{\"api\": {\"user_read\": {}}}");
        var created =
                cli.run("create", "api-key", "--name", "read-only", "--permission_file", perms.toString(), "--raw");
        assertThat(created.code()).as(created.describe()).isZero();
        assertThat(proxy.last().bodyText())
                .isEqualTo(
                        "{\"name\": \"read-only\", \"permissions\": {\"api\": {\"user_read\": {}}}, \"key_params\": null}");
        JsonNode answer = Wire.mapper().readTree(created.out());
        String key = answer.get("key").asText();
        long id = answer.get("id").asLong();

        var listed = cli.run("show", "api-keys");
        assertThat(listed.code()).as(listed.describe()).isZero();
        assertThat(listed.out().lines().findFirst().orElseThrow()).startsWith("ID  name");
        assertThat(listed.out()).containsPattern(id + " +read-only .*user_read");
        assertThat(cli.run("show", "api-key", Long.toString(id)).out()).contains("\"read-only\"");

        Cli scoped = Cli.of(server.url(), key, dir.resolve("scoped"));
        assertThat(scoped.run("show", "user", "-q").out()).isEqualTo(user.id() + "\n");
        var denied = scoped.run("show", "instances");
        assertThat(denied.code()).isEqualTo(1);
        assertThat(denied.err()).startsWith("Failed with error 403: ").contains("instance_read");

        var deleted = cli.run("delete", "api-key", Long.toString(id));
        assertThat(deleted.code()).as(deleted.describe()).isZero();
        assertThat(deleted.out()).isEqualTo("Successfully Deleted API Key\n");
        assertThat(scoped.run("show", "user").err()).startsWith("Failed with error 401: ");
    }

    @Test
    void a_missing_permission_file_is_reported_and_nothing_is_sent() {
        proxy.clear();
        var r = Cli.of(proxy.url(), user.key(), dir)
                .run(
                        "create",
                        "api-key",
                        "--name",
                        "x",
                        "--permission_file",
                        dir.resolve("nope.json").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("Error: Permission file '" + dir.resolve("nope.json") + "' not found.\n");
        assertThat(proxy.requests()).isEmpty();
    }
}
