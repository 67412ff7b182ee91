package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.server.auth.Secrets;
import io.gpumarket.testkit.FakeClock;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** API keys with permission documents: checked, stored hashed, never broader than their creator, revoked at once. */
class ApiKeysHttpTest {
    static final FakeClock CLOCK = new FakeClock();

    @RegisterExtension
    static final TestServer server = TestServer.builder().clock(CLOCK).perClass();

    static Http.Response create(String key, String body) {
        return Http.post(server.api() + "/auth/apikeys/", key, body);
    }

    /** A new key's secret; fails the test unless it is created. */
    static String scoped(String key, String permissions) {
        var r = create(key, "{\"name\": \"scoped\", \"permissions\": " + permissions + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("key").asText();
    }

    static List<Long> listed(String key) {
        List<Long> ids = new ArrayList<>();
        Http.get(server.api() + "/auth/apikeys/", key)
                .json()
                .get("apikeys")
                .forEach(k -> ids.add(k.get("id").asLong()));
        return ids;
    }

    @Test
    void a_scoped_key_reaches_its_categories_and_is_refused_elsewhere_naming_the_missing_permission() {
        TestServer.Account alice = server.newUser();
        var created = create(
                alice.key(), "{\"name\": \"ci\", \"permissions\": {\"api\": {\"misc\": {}, \"user_read\": {}}}}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        String secret = created.json().get("key").asText();

        assertThat(created.json().get("id").isIntegralNumber()).isTrue();
        assertThat(created.json().get("permissions").get("api").has("misc")).isTrue();
        assertThat(Http.get(server.api() + "/users/current/", secret).status()).isEqualTo(200);
        assertThat(Http.post(server.api() + "/bundles/", secret, "{}").status()).isEqualTo(200);
        var refused = Http.get(server.api() + "/instances/", secret);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("error").asText()).isEqualTo("not_authorized");
        assertThat(refused.json().get("msg").asText())
                .isEqualTo("this key lacks permission instance_read for api.instances.show");
    }

    @Test
    void keys_are_stored_hashed_listed_without_secrets_and_revoked_the_moment_they_are_deleted() {
        TestServer.Account alice = server.newUser();
        var created = create(alice.key(), "{\"name\": \"tmp\", \"permissions\": {\"api\": {\"user_read\": {}}}}");
        String secret = created.json().get("key").asText();
        long id = created.json().get("id").asLong();

        var stored = server.app().store().repos().apiKeys().find(alice.id(), id).orElseThrow();
        assertThat(stored.secretHash()).isEqualTo(Secrets.hash(secret)).isNotEqualTo(secret);
        var list = Http.get(server.api() + "/auth/apikeys/", alice.key());
        assertThat(list.body()).doesNotContain(secret);
        assertThat(listed(alice.key())).contains(id);
        JsonNode shown = Http.get(server.api() + "/auth/apikeys/" + id + "/", alice.key())
                .json()
                .get("apikey");
        assertThat(shown.get("name").asText()).isEqualTo("tmp");
        assertThat(shown.get("full_access").asBoolean()).isFalse();
        assertThat(Http.get(server.api() + "/users/current/", secret).status()).isEqualTo(200);

        var deleted = Http.delete(server.api() + "/auth/apikeys/" + id + "/", alice.key(), "{}");
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().asText()).isEqualTo("Successfully Deleted API Key");

        var after = Http.get(server.api() + "/users/current/", secret);
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.json().get("msg").asText()).isEqualTo("Invalid user key");
        assertThat(listed(alice.key())).doesNotContain(id);
        assertThat(Http.delete(server.api() + "/auth/apikeys/" + id + "/", alice.key(), "{}")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void bad_documents_are_refused_naming_the_mistake() {
        TestServer.Account alice = server.newUser();
        Map<String, String> refusals = Map.of(
                "{\"name\": \"x\"}", "missing_permissions",
                "{\"permissions\": {\"api\": {\"manage_instances\": {}}}}", "invalid_permissions",
                "{\"permissions\": {\"api\": {\"instance_read\": {\"api.instance.destroy\": {}}}}}",
                        "invalid_permissions",
                "{\"permissions\": {\"api\": {\"instance_read\": {\"api.instance.show\": {\"constraints\": {\"id\": {\"lt\": 5}}}}}}}",
                        "invalid_permissions",
                "{\"permissions\": \"{not json\"}", "invalid_permissions");

        refusals.forEach((body, code) -> {
            var r = create(alice.key(), body);
            assertThat(r.status()).as(body).isEqualTo(400);
            assertThat(r.json().get("error").asText()).as(body).isEqualTo(code);
        });
        var named = create(
                alice.key(), "{\"permissions\": {\"api\": {\"instance_read\": {\"api.instance.destroy\": {}}}}}");
        assertThat(named.json().get("msg").asText()).contains("'api.instance.destroy' is not a route of instance_read");
    }

    @Test
    void the_document_may_be_sent_as_json_text_as_a_permission_file_would_be() {
        TestServer.Account alice = server.newUser();

        var r = create(alice.key(), "{\"name\": \"file\", \"permissions\": \"{\\\"api\\\": {\\\"misc\\\": {}}}\"}");

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(Http.post(server.api() + "/bundles/", r.json().get("key").asText(), "{}")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void a_key_cannot_grant_more_than_the_key_creating_it_holds() {
        TestServer.Account alice = server.newUser();
        String writer = scoped(
                alice.key(),
                "{\"api\": {\"user_write\": {}, \"user_read\": {}, "
                        + "\"instance_read\": {\"api.instance.show\": {\"constraints\": {\"id\": {\"gte\": 10, \"lte\": 20}}}}}}");

        var wider = create(writer, "{\"permissions\": {\"api\": {\"misc\": {}}}}");
        assertThat(wider.status()).isEqualTo(403);
        assertThat(wider.json().get("msg").asText()).contains("does not hold category misc");
        var looser = create(
                writer,
                "{\"permissions\": {\"api\": {\"instance_read\": {\"api.instance.show\": "
                        + "{\"constraints\": {\"id\": {\"gte\": 1}}}}}}}");
        assertThat(looser.status()).isEqualTo(403);
        var narrower = create(
                writer,
                "{\"permissions\": {\"api\": {\"user_read\": {}, \"instance_read\": {\"api.instance.show\": "
                        + "{\"constraints\": {\"id\": {\"eq\": 15}}}}}}}");
        assertThat(narrower.status()).as(narrower.body()).isEqualTo(200);
    }

    @Test
    void a_scoped_key_neither_sees_nor_deletes_keys_broader_than_itself() {
        TestServer.Account alice = server.newUser();
        String writer = scoped(alice.key(), "{\"api\": {\"user_write\": {}, \"user_read\": {}}}");
        long fullKeyId = Http.get(server.api() + "/users/current/", alice.key())
                .json()
                .get("key_id")
                .asLong();

        assertThat(listed(writer)).doesNotContain(fullKeyId).isNotEmpty();
        assertThat(Http.get(server.api() + "/auth/apikeys/" + fullKeyId + "/", writer)
                        .status())
                .isEqualTo(404);
        assertThat(Http.delete(server.api() + "/auth/apikeys/" + fullKeyId + "/", writer, "{}")
                        .status())
                .isEqualTo(404);
        assertThat(Http.get(server.api() + "/users/current/", alice.key()).status())
                .isEqualTo(200);
    }

    @Test
    void another_users_key_id_answers_as_a_missing_one() {
        TestServer.Account alice = server.newUser();
        TestServer.Account bob = server.newUser();
        long id = create(alice.key(), "{\"permissions\": {\"api\": {\"misc\": {}}}}")
                .json()
                .get("id")
                .asLong();

        var theirs = Http.get(server.api() + "/auth/apikeys/" + id + "/", bob.key());
        var none = Http.get(server.api() + "/auth/apikeys/" + (id + 100_000) + "/", bob.key());

        assertThat(theirs.status()).isEqualTo(404);
        assertThat(theirs.body()).isEqualTo(none.body());
        assertThat(Http.delete(server.api() + "/auth/apikeys/" + id + "/", bob.key(), "{}")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void a_key_with_an_expiry_stops_working_when_it_passes_and_children_never_outlive_it() {
        TestServer.Account alice = server.newUser();
        var created = create(
                alice.key(),
                "{\"permissions\": {\"api\": {\"user_read\": {}, \"user_write\": {}}}, \"ttl_seconds\": 60}");
        String secret = created.json().get("key").asText();
        assertThat(created.json().get("expires_at").asDouble())
                .isEqualTo(CLOCK.instant().getEpochSecond() + 60.0);

        var outliving = create(secret, "{\"permissions\": {\"api\": {\"user_read\": {}}}, \"ttl_seconds\": 3600}");
        assertThat(outliving.status()).isEqualTo(400);
        assertThat(outliving.json().get("msg").asText()).contains("cannot outlive");
        var child = create(secret, "{\"permissions\": {\"api\": {\"user_read\": {}}}}");
        assertThat(child.json().get("expires_at").asDouble())
                .as("inherits its creator's expiry")
                .isEqualTo(created.json().get("expires_at").asDouble());
        assertThat(Http.get(server.api() + "/users/current/", secret).status()).isEqualTo(200);

        CLOCK.advance(Duration.ofSeconds(61));

        var expired = Http.get(server.api() + "/users/current/", secret);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().get("error").asText()).isEqualTo("auth_error");
        assertThat(Http.get(
                                server.api() + "/users/current/",
                                child.json().get("key").asText())
                        .status())
                .isEqualTo(401);
        var past = create(
                alice.key(),
                "{\"permissions\": {\"api\": {\"misc\": {}}}, \"expires_at\": "
                        + (CLOCK.instant().getEpochSecond() - 1) + "}");
        assertThat(past.status()).isEqualTo(400);
    }
}
