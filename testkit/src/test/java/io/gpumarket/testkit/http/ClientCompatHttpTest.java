package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What renters' tools need of the wire beyond the routes themselves (issue 13): an anonymous offer search (gpuhunt,
 * SkyPilot's catalog fetcher), a private market's way to refuse it, the key in {@code /users/current/} (legacy
 * {@code vast.py show user}), vastai's {@code /instances/filters/} and SkyPilot's {@code local_ipaddrs}.
 */
class ClientCompatHttpTest {
    static TestServer server;
    static TestServer.Account host;
    static TestServer.Account renter;
    static long machine;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        host = server.newUser();
        renter = server.newRenter();
        machine = server.listMachine(host, TestMachines.machine("RTX 4090", 2, "Oslo, NO", 41000), 0.30,
                Map.of("verification", "verified", "reliability", 0.99));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void offer_search_answers_without_a_key_as_vast_does() {
        String q = "{\"rentable\": {\"eq\": true}, \"rented\": {\"eq\": false}, \"order\": [[\"score\", \"desc\"]]}";
        var post = Http.post(server.api() + "/bundles/", null, q);
        assertThat(post.status()).as(post.body()).isEqualTo(200);
        assertThat(post.json().get("offers").size()).isGreaterThan(0);
        assertThat(post.json().get("offers").get(0).get("rented").asBoolean()).isFalse();
        assertThat(Http.put(server.api() + "/search/asks/", null, "{\"q\": " + q + "}").status()).isEqualTo(200);
        assertThat(Http.get(server.api() + "/bundles/?q=%7B%7D", null).status()).isEqualTo(200);
    }

    @Test
    void a_search_with_a_bad_key_is_still_refused() {
        var r = Http.post(server.api() + "/bundles/", "not-a-key", "{}");
        assertThat(r.status()).isEqualTo(401);
    }

    @Test
    void a_private_market_refuses_searches_without_a_key() {
        try (TestServer closed = TestServer.start(c -> c.withSearchNeedsKey(true))) {
            var anonymous = Http.post(closed.api() + "/bundles/", null, "{}");
            assertThat(anonymous.status()).isEqualTo(403);
            assertThat(anonymous.json().get("error").asText()).isEqualTo("auth_error");
            assertThat(Http.post(closed.api() + "/bundles/", closed.newRenter().key(), "{}").status()).isEqualTo(200);
        }
    }

    @Test
    void the_current_user_carries_the_key_the_caller_presented() {
        JsonNode me = Http.get(server.api() + "/users/current/", renter.key()).json();
        assertThat(me.get("api_key").asText()).isEqualTo(renter.key());
        JsonNode byQuery = Http.get(server.api() + "/users/current/?api_key=" + renter.key(), null).json();
        assertThat(byQuery.get("api_key").asText()).isEqualTo(renter.key());
    }

    @Test
    void instance_filters_list_the_status_verification_and_gpu_of_the_callers_instances_and_local_ipaddrs_is_filled() {
        TestServer.Account someone = server.newRenter();
        assertThat(Http.get(server.api() + "/instances/filters/", someone.key()).json().get("filters").size()).isZero();
        String q = "{\"machine_id\": {\"eq\": " + machine + "}, \"num_gpus\": {\"eq\": 1}}";
        long offer = Http.post(server.api() + "/bundles/", someone.key(), q).json().get("offers").get(0).get("id").asLong();
        var created = Http.put(server.api() + "/asks/" + offer + "/", someone.key(), "{\"image\": \"ubuntu\", \"disk\": 10}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);

        var filters = Http.get(server.api() + "/instances/filters/", someone.key());
        assertThat(filters.status()).as(filters.body()).isEqualTo(200);
        JsonNode combo = filters.json().get("filters").get(0);
        assertThat(combo.get("gpu_name").asText()).isEqualTo("RTX 4090");
        assertThat(combo.get("verification").asText()).isEqualTo("verified");
        assertThat(combo.has("actual_status")).isTrue();
        JsonNode instance = Http.get(server.api() + "/instances/" + created.json().get("new_contract").asLong() + "/", someone.key())
                .json().get("instances");
        assertThat(instance.get("local_ipaddrs").asText().strip()).isEqualTo(instance.get("public_ipaddr").asText()).isNotEmpty();
    }
}
