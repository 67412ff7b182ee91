package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What renters' tools need of the wire beyond the routes themselves (issue 13): an anonymous offer search (gpuhunt,
 * SkyPilot's catalog fetcher), a private market's way to refuse it, the key in {@code /users/current/} (legacy
 * {@code vast.py show user}), vastai's {@code /instances/filters/} and SkyPilot's {@code local_ipaddrs}.
 */
class ClientCompatHttpTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static TestServer.Account host;
    static TestServer.Account renter;
    static long machine;

    @BeforeAll
    static void start() {
        host = server.newUser();
        renter = server.newRenter();
        machine = server.listMachine(
                host,
                TestMachines.machine("RTX 4090", 2, "Oslo, NO", 41000),
                0.30,
                Map.of("verification", "verified", "reliability", 0.99));
    }

    @Test
    void offer_search_answers_without_a_key_as_vast_does() {
        String q = "{\"rentable\": {\"eq\": true}, \"rented\": {\"eq\": false}, \"order\": [[\"score\", \"desc\"]]}";
        var post = Http.post(server.api() + "/bundles/", null, q);
        assertThat(post.status()).as(post.body()).isEqualTo(200);
        assertThat(post.json().get("offers").size()).isGreaterThan(0);
        assertThat(post.json().get("offers").get(0).get("rented").asBoolean()).isFalse();
        assertThat(Http.put(server.api() + "/search/asks/", null, "{\"q\": " + q + "}")
                        .status())
                .isEqualTo(200);
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
            assertThat(Http.post(closed.api() + "/bundles/", closed.newRenter().key(), "{}")
                            .status())
                    .isEqualTo(200);
        }
    }

    @Test
    void the_current_user_carries_the_key_the_caller_presented() {
        JsonNode me = Http.get(server.api() + "/users/current/", renter.key()).json();
        assertThat(me.get("api_key").asText()).isEqualTo(renter.key());
        JsonNode byQuery = Http.get(server.api() + "/users/current/?api_key=" + renter.key(), null)
                .json();
        assertThat(byQuery.get("api_key").asText()).isEqualTo(renter.key());
    }

    @Test
    void instance_filters_list_the_status_verification_and_gpu_of_the_callers_instances_and_local_ipaddrs_is_filled() {
        TestServer.Account someone = server.newRenter();
        assertThat(Http.get(server.api() + "/instances/filters/", someone.key())
                        .json()
                        .get("filters")
                        .size())
                .isZero();
        String q = "{\"machine_id\": {\"eq\": " + machine + "}, \"num_gpus\": {\"eq\": 1}}";
        long offer = Http.post(server.api() + "/bundles/", someone.key(), q)
                .json()
                .get("offers")
                .get(0)
                .get("id")
                .asLong();
        var created =
                Http.put(server.api() + "/asks/" + offer + "/", someone.key(), "{\"image\": \"ubuntu\", \"disk\": 10}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);

        var filters = Http.get(server.api() + "/instances/filters/", someone.key());
        assertThat(filters.status()).as(filters.body()).isEqualTo(200);
        JsonNode combo = filters.json().get("filters").get(0);
        assertThat(combo.get("gpu_name").asText()).isEqualTo("RTX 4090");
        assertThat(combo.get("verification").asText()).isEqualTo("verified");
        assertThat(combo.has("actual_status")).isTrue();
        JsonNode instance = Http.get(
                        server.api() + "/instances/"
                                + created.json().get("new_contract").asLong() + "/",
                        someone.key())
                .json()
                .get("instances");
        assertThat(instance.get("local_ipaddrs").asText().strip())
                .isEqualTo(instance.get("public_ipaddr").asText())
                .isNotEmpty();
    }

    @Test
    void an_agent_that_cannot_measure_network_or_cuda_keeps_what_the_machine_was_registered_with() {
        TestServer.Hosted hosted = server.hostMachine(
                host,
                TestMachines.machine("RTX 3090", 1, "Lyon, FR", 42000),
                0.2,
                Map.of("verification", "verified", "reliability", 0.99));
        var described = Http.put(server.api() + "/agent/machine/", hosted.token(), """
                {"gpu_name": "RTX 3090", "num_gpus": 1, "gpu_ram": 24576, "cpu_cores": 8, "cpu_ram": 32000,
                 "disk_space": 200, "geolocation": "Lyon, FR", "direct_port_start": 42000, "direct_port_end": 42099}""");
        assertThat(described.status()).as(described.body()).isEqualTo(200);

        // dstack's fixed filters (gpuhunt sends them without a key) still find it
        var found = Http.post(
                server.api() + "/bundles/",
                null,
                "{\"machine_id\": {\"eq\": " + hosted.id() + "}, "
                        + "\"inet_down\": {\"gt\": 128}, \"cuda_max_good\": {\"gte\": 12.8}, \"compute_cap\": {\"gte\": 600}, "
                        + "\"reliability2\": {\"gte\": 0.9}, \"direct_port_count\": {\"gte\": 1}, \"verified\": {\"eq\": true}}");
        assertThat(found.json().get("offers").size()).as(found.body()).isEqualTo(1);
        JsonNode offer = found.json().get("offers").get(0);
        assertThat(offer.get("cuda_max_good").asDouble()).isEqualTo(12.8);
        assertThat(offer.get("driver_version").asText()).isEqualTo("570.124.06");
        assertThat(offer.get("inet_down").asDouble()).isEqualTo(1000.0);
        assertThat(offer.get("inet_up").asDouble()).isEqualTo(800.0);

        // a measured speed replaces the registered one only when it is better
        String measured = """
                {"gpu_name": "RTX 3090", "num_gpus": 1, "gpu_ram": 24576, "cpu_cores": 8, "cpu_ram": 32000, "disk_space": 200,
                 "geolocation": "Lyon, FR", "direct_port_start": 42000, "direct_port_end": 42099, "inet_up": %s, "inet_down": %s}""";
        Http.put(server.api() + "/agent/machine/", hosted.token(), measured.formatted(50, 60));
        JsonNode slow = Http.get(server.api() + "/machines/" + hosted.id() + "/", host.key())
                .json()
                .get(0);
        assertThat(slow.get("inet_down").asDouble()).isEqualTo(1000.0);
        Http.put(server.api() + "/agent/machine/", hosted.token(), measured.formatted(2500, 4000));
        JsonNode fast = Http.get(server.api() + "/machines/" + hosted.id() + "/", host.key())
                .json()
                .get(0);
        assertThat(fast.get("inet_down").asDouble()).isEqualTo(4000.0);
        assertThat(fast.get("inet_up").asDouble()).isEqualTo(2500.0);
    }

    @Test
    void the_speed_test_serves_and_takes_a_bounded_payload_to_machines_only() {
        TestServer.Hosted hosted =
                server.hostMachine(host, TestMachines.machine("RTX 3090", 1, "Lyon, FR", 42100), 0.2, Map.of());
        var down = Http.get(server.api() + "/agent/speedtest/", hosted.token());
        assertThat(down.status()).isEqualTo(200);
        assertThat(down.body().length()).isEqualTo(1_000_000);
        var up = Http.put(server.api() + "/agent/speedtest/", hosted.token(), "0".repeat(1_000_000));
        assertThat(up.json().get("received").asInt()).isEqualTo(1_000_000);
        assertThat(Http.put(server.api() + "/agent/speedtest/", hosted.token(), "0".repeat(2_000_000))
                        .status())
                .isEqualTo(400);
        assertThat(Http.get(server.api() + "/agent/speedtest/", renter.key()).status())
                .isEqualTo(401);
    }
}
