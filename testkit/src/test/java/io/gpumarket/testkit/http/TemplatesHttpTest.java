package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Templates: created, searched with select_filters, edited (id kept, hash_id new) and deleted, private to their creator. */
class TemplatesHttpTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static JsonNode create(String key, String body) {
        var r = Http.post(server.api() + "/template/", key, body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("success").asBoolean()).isTrue();
        return r.json().get("template");
    }

    /** The names the search finds, in order. */
    static List<String> search(String key, String selectFilters, String orderBy) {
        String url = server.api() + "/template/?select_cols=%5B%22*%22%5D"
                + (selectFilters == null
                        ? ""
                        : "&select_filters=" + URLEncoder.encode(selectFilters, StandardCharsets.UTF_8))
                + (orderBy == null ? "" : "&order_by=" + URLEncoder.encode(orderBy, StandardCharsets.UTF_8));
        var r = Http.get(url, key);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        r.json().get("templates").forEach(t -> names.add(t.get("name").asText()));
        assertThat(r.json().get("templates_found").asInt()).isEqualTo(names.size());
        return names;
    }

    @Test
    void a_template_is_created_with_its_ids_and_an_identical_one_is_found_not_made_again() {
        TestServer.Account alice = server.newUser();
        String body = """
                {"name": "torch", "image": "pytorch/pytorch", "tag": "2.4.0", "env": "-e TZ=UTC -p 8080:8080",
                 "onstart": "echo hi", "runtype": "ssh", "ssh_direct": true, "use_ssh": true,
                 "docker_login_repo": "docker.io", "docker_login_user": "ada", "docker_login_pass": "secret",
                 "extra_filters": {"cuda_max_good": {"gte": 12.1}}, "recommended_disk_space": "40", "private": true}""";

        var r = Http.post(server.api() + "/template/", alice.key(), body);
        JsonNode t = r.json().get("template");

        assertThat(r.json().get("msg").asText())
                .startsWith("Template Created Successfully! New Template ID: "
                        + t.get("id").asLong());
        assertThat(t.get("id").isIntegralNumber()).isTrue();
        assertThat(t.get("hash_id").asText()).hasSize(32);
        assertThat(t.get("creator_id").asLong()).isEqualTo(alice.id());
        assertThat(t.get("env").asText()).isEqualTo("-e TZ=UTC -p 8080:8080");
        assertThat(t.get("extra_filters").get("cuda_max_good").get("gte").asDouble())
                .isEqualTo(12.1);
        assertThat(t.get("recommended_disk_space").asDouble()).isEqualTo(40.0);
        assertThat(t.get("created_at").isNumber()).isTrue();
        assertThat(t.get("count_created").asInt()).isZero();
        assertThat(t.get("docker_login_user").asText()).isEqualTo("ada");
        assertThat(t.has("docker_login_pass")).as("a password is never shown").isFalse();

        var again = Http.post(server.api() + "/template/", alice.key(), body);
        assertThat(again.json().get("msg").asText()).startsWith("Existing template found");
        assertThat(again.json().get("template").get("id").asLong())
                .isEqualTo(t.get("id").asLong());
    }

    @Test
    void an_edit_keeps_the_id_and_changes_the_hash() {
        TestServer.Account alice = server.newUser();
        JsonNode t = create(alice.key(), "{\"name\": \"edit-me\", \"image\": \"ubuntu\", \"onstart\": \"echo 1\"}");
        String oldHash = t.get("hash_id").asText();

        var r = Http.put(
                server.api() + "/template/",
                alice.key(),
                "{\"hash_id\": \"" + oldHash + "\", \"onstart\": \"echo 2\", " + "\"name\": null, \"image\": null}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode edited = r.json().get("template");

        assertThat(edited.get("id").asLong()).isEqualTo(t.get("id").asLong());
        assertThat(edited.get("hash_id").asText()).isNotEqualTo(oldHash);
        assertThat(edited.get("onstart").asText()).isEqualTo("echo 2");
        assertThat(edited.get("name").asText()).isEqualTo("edit-me");
        var stale = Http.put(
                server.api() + "/template/",
                alice.key(),
                "{\"hash_id\": \"" + oldHash + "\", \"onstart\": \"echo 3\"}");
        assertThat(stale.status()).isEqualTo(404);
        assertThat(stale.json().get("error").asText()).isEqualTo("no_such_template");
    }

    @Test
    void private_templates_are_seen_by_their_creator_only_and_public_ones_by_everyone() {
        TestServer.Account alice = server.newUser();
        TestServer.Account bob = server.newUser();
        String tag = "vis" + alice.id();
        create(alice.key(), "{\"name\": \"" + tag + "-private\", \"image\": \"ubuntu\"}");
        create(alice.key(), "{\"name\": \"" + tag + "-public\", \"image\": \"ubuntu\", \"private\": false}");
        String mine = "{\"name\": {\"in\": [\"" + tag + "-private\", \"" + tag + "-public\"]}}";

        assertThat(search(alice.key(), mine, null)).containsExactly(tag + "-private", tag + "-public");
        assertThat(search(bob.key(), mine, null)).containsExactly(tag + "-public");
    }

    @Test
    void select_filters_and_order_by_narrow_and_sort_the_search() {
        TestServer.Account carol = server.newUser();
        String c = "{\"creator_id\": {\"eq\": " + carol.id() + "}";
        create(
                carol.key(),
                "{\"name\": \"b-ssh\", \"image\": \"ubuntu\", \"use_ssh\": true, \"recommended_disk_space\": 50}");
        create(carol.key(), "{\"name\": \"a-args\", \"image\": \"ubuntu\", \"recommended_disk_space\": 10}");
        create(carol.key(), "{\"name\": \"c-ssh\", \"image\": \"busybox\", \"use_ssh\": true, \"ssh_direct\": true}");

        assertThat(search(carol.key(), c + "}", null)).containsExactly("b-ssh", "a-args", "c-ssh");
        assertThat(search(carol.key(), c + ", \"use_ssh\": {\"eq\": true}}", "name"))
                .containsExactly("b-ssh", "c-ssh");
        assertThat(search(carol.key(), c + ", \"recommended_disk_space\": {\"gt\": \"9\"}}", "-recommended_disk_space"))
                .containsExactly("b-ssh", "a-args");
        assertThat(search(carol.key(), c + ", \"image\": {\"neq\": \"ubuntu\"}}", null))
                .containsExactly("c-ssh");
        assertThat(search(carol.key(), c + "}", "[{\"col\": \"name\", \"dir\": \"desc\"}]"))
                .containsExactly("c-ssh", "b-ssh", "a-args");

        var bad = Http.get(
                server.api() + "/template/?select_filters="
                        + URLEncoder.encode("{\"bogus\": {\"eq\": 1}}", StandardCharsets.UTF_8),
                carol.key());
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("msg").asText()).contains("'bogus' is not a template search field");
    }

    @Test
    void a_template_is_deleted_by_id_or_hash_by_its_creator_only() {
        TestServer.Account alice = server.newUser();
        TestServer.Account bob = server.newUser();
        JsonNode byId = create(alice.key(), "{\"name\": \"del-1\", \"image\": \"ubuntu\", \"private\": false}");
        JsonNode byHash = create(alice.key(), "{\"name\": \"del-2\", \"image\": \"ubuntu\"}");

        var refused = Http.delete(
                server.api() + "/template/",
                bob.key(),
                "{\"template_id\": " + byId.get("id").asLong() + "}");
        assertThat(refused.status()).isEqualTo(404);
        assertThat(Http.delete(
                                server.api() + "/template/",
                                alice.key(),
                                "{\"template_id\": " + byId.get("id").asLong() + "}")
                        .status())
                .isEqualTo(200);
        assertThat(Http.delete(
                                server.api() + "/template/",
                                alice.key(),
                                "{\"hash_id\": \"" + byHash.get("hash_id").asText() + "\"}")
                        .status())
                .isEqualTo(200);
        assertThat(search(alice.key(), "{\"name\": {\"in\": [\"del-1\", \"del-2\"]}}", null))
                .isEmpty();
        assertThat(Http.delete(server.api() + "/template/", alice.key(), "{}").status())
                .isEqualTo(400);
    }

    @Test
    void invalid_templates_are_refused_with_the_reason() {
        TestServer.Account alice = server.newUser();

        var noName = Http.post(server.api() + "/template/", alice.key(), "{\"image\": \"ubuntu\"}");
        assertThat(noName.status()).isEqualTo(400);
        assertThat(noName.json().get("error").asText()).isEqualTo("invalid_args");
        assertThat(noName.json().get("msg").asText()).isEqualTo("Template name is required");
        var badFilter = Http.post(
                server.api() + "/template/",
                alice.key(),
                "{\"name\": \"x\", \"image\": \"ubuntu\", "
                        + "\"extra_filters\": {\"gpu_name\": {\"like\": \"RTX\"}}}");
        assertThat(badFilter.status()).isEqualTo(400);
        assertThat(badFilter.json().get("msg").asText()).startsWith("extra_filters:");
    }
}
