package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.core.instance.EnvPair;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Creating instances from templates: PUT /asks/{offer}/ with template_hash_id, and launch_instance with extra_filters. */
class TemplateRentHttpTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static TestServer.Account host;
    static long oslo;
    static long lima;

    @BeforeAll
    static void start() {
        host = server.newUser();
        oslo = server.hostMachine(
                        host,
                        TestMachines.machine("RTX 4090", 8, "Oslo, NO", 48500),
                        0.4,
                        Map.of("verification", "verified"))
                .id();
        lima = server.hostMachine(
                        host,
                        TestMachines.machine("RTX 3090", 8, "Lima, PE", 48700),
                        0.2,
                        Map.of("verification", "verified"))
                .id();
    }

    static String template(TestServer.Account owner, String extra) {
        var r = Http.post(server.api() + "/template/", owner.key(), """
                {"name": "tpl", "image": "ubuntu", "tag": "22.04", "runtype": "ssh", "onstart": "echo from-template",
                 "env": "-e GREETING=hello -e SHARED=template -p 8080:8080", "recommended_disk_space": 12%s}""".formatted(extra));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("template").get("hash_id").asText();
    }

    static Instance stored(long id) {
        return server.app().store().repos().instances().find(id).orElseThrow();
    }

    @Test
    void the_template_supplies_what_the_request_leaves_out_and_the_request_wins_the_rest() {
        TestServer.Account alice = server.newRenter();
        String hash = template(alice, "");

        var created =
                Rentals.rent(server, alice.key(), Rentals.offer(server, alice.key(), oslo, 1), """
                {"client_id": "me", "image": null, "template_hash_id": "%s", "env": {"SHARED": "request", "MINE": "1"},
                 "onstart": null, "disk": null, "label": "from-template", "price": null, "runtype": null}""".formatted(hash));
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        Instance i = stored(created.json().get("new_contract").asLong());

        assertThat(i.launch().image()).isEqualTo("ubuntu:22.04");
        assertThat(i.launch().onstart()).isEqualTo("echo from-template");
        assertThat(i.launch().env())
                .containsExactly(
                        new EnvPair("GREETING", "hello"),
                        new EnvPair("SHARED", "request"),
                        new EnvPair("-p 8080:8080", "1"),
                        new EnvPair("MINE", "1"));
        assertThat(i.diskGb()).isEqualTo(12.0);
        assertThat(i.ports()).containsKey("8080/tcp");
        assertThat(i.label()).isEqualTo("from-template");
        JsonNode shown = Rentals.show(server, alice.key(), i.id());
        assertThat(shown.get("image_uuid").asText()).isEqualTo("ubuntu:22.04");

        var override = Rentals.rent(
                server,
                alice.key(),
                Rentals.offer(server, alice.key(), oslo, 1),
                "{\"template_hash_id\": \"" + hash + "\", \"image\": \"busybox\", \"disk\": 9, \"onstart\": \"\"}");
        Instance o = stored(override.json().get("new_contract").asLong());
        assertThat(o.launch().image()).isEqualTo("busybox");
        assertThat(o.diskGb()).isEqualTo(9.0);
        assertThat(o.launch().onstart()).isEmpty();
    }

    @Test
    void an_instance_shows_the_template_it_was_made_from_as_it_was_then_and_vastai_reads_it_in_the_list() {
        TestServer.Account alice = server.newRenter();
        String hash = template(alice, ", \"name\": \"pytorch-base\"");
        long templateId = templateIdOf(alice, hash);
        long made = Rentals.rent(
                        server,
                        alice.key(),
                        Rentals.offer(server, alice.key(), oslo, 1),
                        "{\"template_hash_id\": \"" + hash + "\"}")
                .json()
                .get("new_contract")
                .asLong();
        long plain = Rentals.rent(
                        server,
                        alice.key(),
                        Rentals.offer(server, alice.key(), oslo, 1),
                        "{\"image\": \"busybox\", \"disk\": 8}")
                .json()
                .get("new_contract")
                .asLong();
        // an edit gives the template a new hash_id and name; the instance keeps what it was made from
        var edited = Http.put(
                server.api() + "/template/", alice.key(), "{\"hash_id\": \"" + hash + "\", \"name\": \"renamed\"}");
        assertThat(edited.status()).as(edited.body()).isEqualTo(200);
        assertThat(edited.json().get("template").get("hash_id").asText()).isNotEqualTo(hash);

        JsonNode shown = Rentals.show(server, alice.key(), made);
        assertThat(shown.get("template_id").asLong()).isEqualTo(templateId);
        assertThat(shown.get("template_hash_id").asText()).isEqualTo(hash);
        assertThat(shown.get("template_name").asText()).isEqualTo("pytorch-base");
        JsonNode none = Rentals.show(server, alice.key(), plain);
        assertThat(none.get("template_id").isNull()).isTrue();
        assertThat(none.get("template_hash_id").isNull()).isTrue();
        assertThat(none.get("template_name").isNull()).isTrue();

        // vastai show instances -v asks the v1 list for these columns
        var listed = Http.get(
                server.url() + "/api/v1/instances/?select_cols="
                        + java.net.URLEncoder.encode(
                                "[\"id\", \"template_id\", \"template_name\"]",
                                java.nio.charset.StandardCharsets.UTF_8),
                alice.key());
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        JsonNode rows = listed.json().get("instances");
        assertThat(rows).hasSize(2);
        for (JsonNode row : rows) {
            if (row.get("id").asLong() == made) {
                assertThat(row.get("template_id").asLong()).isEqualTo(templateId);
                assertThat(row.get("template_name").asText()).isEqualTo("pytorch-base");
            } else {
                assertThat(row.get("template_id").isNull()).isTrue();
            }
        }
    }

    static long templateIdOf(TestServer.Account owner, String hash) {
        var found = Http.get(
                server.api() + "/template/?select_filters="
                        + java.net.URLEncoder.encode(
                                "{\"hash_id\": {\"eq\": \"" + hash + "\"}}", java.nio.charset.StandardCharsets.UTF_8),
                owner.key());
        return found.json().get("templates").get(0).get("id").asLong();
    }

    @Test
    void creations_are_counted_on_the_template() {
        TestServer.Account alice = server.newRenter();
        String hash = template(alice, ", \"name\": \"counted\"");
        Rentals.rent(
                server,
                alice.key(),
                Rentals.offer(server, alice.key(), oslo, 1),
                "{\"template_hash_id\": \"" + hash + "\"}");

        var found = Http.get(
                server.api() + "/template/?select_filters="
                        + java.net.URLEncoder.encode(
                                "{\"hash_id\": {\"eq\": \"" + hash + "\"}}", java.nio.charset.StandardCharsets.UTF_8),
                alice.key());
        assertThat(found.json().get("templates").get(0).get("count_created").asInt())
                .isEqualTo(1);
        assertThat(found.json()
                        .get("templates")
                        .get(0)
                        .get("recent_create_date")
                        .isNumber())
                .isTrue();
    }

    @Test
    void a_template_id_instead_of_its_hash_is_a_clear_400() {
        TestServer.Account alice = server.newRenter();

        var r = Rentals.rent(server, alice.key(), Rentals.offer(server, alice.key(), oslo, 1), "{\"template_id\": 12}");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("msg").asText())
                .contains("'template_id' cannot create an instance")
                .contains("template_hash_id");
    }

    @Test
    void someone_elses_private_template_is_answered_as_a_missing_one() {
        TestServer.Account alice = server.newRenter();
        TestServer.Account bob = server.newRenter();
        String hash = template(alice, ", \"name\": \"mine\"");
        String publicHash = template(alice, ", \"name\": \"ours\", \"private\": false");
        long offer = Rentals.offer(server, bob.key(), oslo, 1);

        var theirs = Rentals.rent(server, bob.key(), offer, "{\"template_hash_id\": \"" + hash + "\"}");
        var none =
                Rentals.rent(server, bob.key(), offer, "{\"template_hash_id\": \"00000000000000000000000000000000\"}");

        assertThat(theirs.status()).isEqualTo(404);
        assertThat(theirs.json().get("error").asText()).isEqualTo("no_such_template");
        assertThat(theirs.body().replace(hash, "H"))
                .isEqualTo(none.body().replace("00000000000000000000000000000000", "H"));
        assertThat(Rentals.rent(server, bob.key(), offer, "{\"template_hash_id\": \"" + publicHash + "\"}")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void launch_instance_rents_the_best_offer_that_passes_the_templates_extra_filters_and_the_query() {
        TestServer.Account alice = server.newRenter();
        String peru = template(
                alice,
                ", \"name\": \"peru\", \"extra_filters\": {\"gpu_name\": {\"eq\": \"RTX 3090\"}, "
                        + "\"num_gpus\": {\"eq\": 2}}");

        var launched = Http.put(server.api() + "/launch_instance/", alice.key(), """
                {"template_hash_id": "%s", "q": {"num_gpus": {"eq": 1}, "order": [["dph_total", "asc"]], "type": "on-demand"},
                 "env": {"SHARED": "launch"}, "label": "launched"}""".formatted(peru));
        assertThat(launched.status()).as(launched.body()).isEqualTo(200);
        Instance i = stored(launched.json().get("new_contract").asLong());
        assertThat(launched.json().get("instance_api_key").asText()).isNotBlank();

        assertThat(i.machineId()).as("gpu_name from the template").isEqualTo(lima);
        assertThat(i.numGpus())
                .as("num_gpus from the request, over the template's")
                .isEqualTo(1);
        assertThat(i.launch().env()).contains(new EnvPair("SHARED", "launch"), new EnvPair("GREETING", "hello"));
        assertThat(i.label()).isEqualTo("launched");
    }

    @Test
    void launch_instance_without_a_matching_offer_is_vasts_invalid_query() {
        TestServer.Account alice = server.newRenter();

        var r = Http.put(
                server.api() + "/launch_instance/",
                alice.key(),
                "{\"image\": \"ubuntu\", \"q\": {\"gpu_name\": {\"eq\": \"H100 SXM\"}}}");

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("error").asText()).isEqualTo("invalid_query");
        assertThat(Http.put(server.api() + "/launch_instance/", alice.key(), "{\"image\": \"ubuntu\", \"q\": 5}")
                        .status())
                .isEqualTo(400);
    }
}
