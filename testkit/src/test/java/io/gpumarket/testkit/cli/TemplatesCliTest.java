package io.gpumarket.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.api.Wire;
import io.gpumarket.testkit.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code search/create/update/delete template} against a real server; the search is docs/vast-compatibility.md §e.4 example 12. */
class TemplatesCliTest {
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
    void search_templates_sends_the_worked_example_as_select_filters() {
        var r = Cli.of(proxy.url(), user.key(), dir)
                .run("search", "templates", "count_created > 100  creator_id in [38382,48982] use_ssh=true");
        assertThat(r.code()).as(r.describe()).isZero();
        assertThat(proxy.last().method()).isEqualTo("GET");
        // select_filters = {"count_created": {"gt": "100"}, "creator_id": {"in": ["38382", "48982"]}, "use_ssh": {"eq":
        // true}}
        assertThat(proxy.last().target())
                .isEqualTo("/api/v0/template/?select_cols=%5B%22%2A%22%5D&select_filters="
                        + "%7B%22count_created%22%3A+%7B%22gt%22%3A+%22100%22%7D%2C+%22creator_id%22%3A+%7B%22in%22%3A+%5B%2238382%22%2C+"
                        + "%2248982%22%5D%7D%2C+%22use_ssh%22%3A+%7B%22eq%22%3A+true%7D%7D");
        assertThat(r.out().lines().findFirst().orElseThrow()).startsWith("ID  hash_id");
    }

    @Test
    void a_template_is_created_found_changed_and_deleted() throws Exception {
        Cli cli = Cli.of(proxy.url(), user.key(), dir);
        var created = cli.run(
                "create",
                "template",
                "--name",
                "cli-template",
                "--image",
                "ubuntu",
                "--image_tag",
                "22.04",
                "--ssh",
                "--direct",
                "--env",
                "-e A=1 -p 8080:8080",
                "--onstart-cmd",
                "echo hi",
                "--search_params",
                "gpu_ram>=24 num_gpus=1",
                "--disk_space",
                "12",
                "--raw");
        assertThat(created.code()).as(created.describe()).isZero();
        assertThat(proxy.last().bodyText())
                .isEqualTo("{\"name\": \"cli-template\", \"image\": \"ubuntu\", \"tag\": \"22.04\", \"href\": null, "
                        + "\"repo\": null, \"env\": \"-e A=1 -p 8080:8080\", \"onstart\": \"echo hi\", \"jup_direct\": false, \"ssh_direct\": true, "
                        + "\"use_jupyter_lab\": false, \"runtype\": \"ssh\", \"use_ssh\": true, \"jupyter_dir\": null, \"docker_login_repo\": null, "
                        + "\"extra_filters\": {\"verified\": {\"eq\": true}, \"external\": {\"eq\": false}, \"rentable\": {\"eq\": true}, "
                        + "\"gpu_ram\": {\"gte\": 24000.0}, \"num_gpus\": {\"eq\": \"1\"}}, \"recommended_disk_space\": \"12\", \"readme\": null, "
                        + "\"readme_visible\": true, \"desc\": null, \"private\": true}");
        String hash = Wire.mapper()
                .readTree(created.out())
                .get("template")
                .get("hash_id")
                .asText();

        var found = cli.run("search", "templates", "name=cli-template");
        assertThat(found.out().lines().toList()).hasSize(2);
        assertThat(found.out()).contains(hash).contains("cli-template");

        var updated = cli.run(
                "update",
                "template",
                hash,
                "--name",
                "cli-template",
                "--image",
                "ubuntu",
                "--image_tag",
                "24.04",
                "--ssh");
        assertThat(updated.code()).as(updated.describe()).isZero();
        JsonNode template = Wire.mapper().readTree(updated.out());
        assertThat(template.get("tag").asText()).isEqualTo("24.04");
        String newHash = template.get("hash_id").asText();
        assertThat(newHash).isNotEqualTo(hash);

        var deleted = cli.run("delete", "template", "--hash-id", newHash);
        assertThat(deleted.code()).as(deleted.describe()).isZero();
        JsonNode none = Wire.mapper()
                .readTree(cli.run("search", "templates", "name=cli-template", "--raw")
                        .out());
        assertThat(none).isEmpty();
        var again = cli.run(
                "delete",
                "template",
                "--template-id",
                Long.toString(template.get("id").asLong()));
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).startsWith("Failed with error 404: ");
    }

    @Test
    void an_instance_is_created_from_a_templates_hash() throws Exception {
        TestServer.Account host = server.newUser();
        long m = server.listMachine(
                host,
                io.gpumarket.testkit.TestMachines.machine("RTX 4090", 1, "Oslo, NO", 48000),
                0.3,
                java.util.Map.of("verification", "verified"));
        Cli cli = Cli.of(proxy.url(), user.key(), dir);
        var made = cli.run(
                "create",
                "template",
                "--name",
                "from-template",
                "--image",
                "ubuntu",
                "--image_tag",
                "24.04",
                "--ssh",
                "--env",
                "-e FROM_TEMPLATE=yes",
                "--onstart-cmd",
                "echo from template",
                "--raw");
        assertThat(made.code()).as(made.describe()).isZero();
        String hash = Wire.mapper()
                .readTree(made.out())
                .get("template")
                .get("hash_id")
                .asText();

        var created = cli.run(
                "create",
                "instance",
                Long.toString(Rent.offer(server, user.key(), m)),
                "--template_hash",
                hash,
                "--env",
                "-e EXTRA=1",
                "--raw");
        assertThat(created.code()).as(created.describe()).isZero();
        assertThat(proxy.last().bodyText())
                .contains("\"image\": null, ")
                .contains("\"template_hash_id\": \"" + hash + "\"")
                .doesNotContain("runtype");
        JsonNode instance = Rent.show(
                server,
                user.key(),
                Wire.mapper().readTree(created.out()).get("new_contract").asLong());
        assertThat(instance.get("image_uuid").asText()).startsWith("ubuntu");
        assertThat(instance.get("onstart").asText()).isEqualTo("echo from template");
        assertThat(instance.get("extra_env").toString())
                .contains("[\"FROM_TEMPLATE\",\"yes\"]")
                .contains("[\"EXTRA\",\"1\"]");
    }

    @Test
    void delete_needs_an_id_or_a_hash() {
        var r = Cli.of(server.url(), user.key(), dir).run("delete", "template");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("ERROR: Must Specify either Template ID or Hash ID to delete a template\n");
    }
}
