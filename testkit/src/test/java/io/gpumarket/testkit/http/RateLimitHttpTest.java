package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.api.Wire;
import io.gpumarket.server.http.Router;
import io.gpumarket.server.ratelimit.RateLimits;
import io.gpumarket.server.ratelimit.RouteClass;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rate limits on a server configured with tiny ones: a burst past a class's allowance gets Vast's 429 body with a
 * Retry-After, per caller and per class; refused keys lock the client address out; the typed client waits the
 * Retry-After out.
 */
class RateLimitHttpTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @RegisterExtension
    static final TestServer server = TestServer.builder()
            .rateLimits(RateLimits.off().with(Map.of("search", "3/1m", "read", "1/1s")))
            .perClass();

    record Answer(int status, String retryAfter, JsonNode body, String contentType) {}

    static Answer call(String method, String url, String key, String body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                    .method(
                            method,
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(body));
            if (key != null) b.header("Authorization", "Bearer " + key);
            HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(
                    r.statusCode(),
                    r.headers().firstValue("Retry-After").orElse(null),
                    Wire.mapper().readTree(r.body()),
                    r.headers().firstValue("Content-Type").orElse(null));
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static Answer search(String key) {
        return call("POST", server.api() + "/bundles/", key, "{\"limit\": 5}");
    }

    @Test
    void a_burst_past_the_search_limit_gets_429_in_vasts_body_with_retry_after() {
        String key = server.newUser().key();
        for (int i = 0; i < 3; i++) assertThat(search(key).status()).isEqualTo(200);

        Answer refused = search(key);

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.contentType()).startsWith("application/json");
        assertThat(refused.body().get("success").asBoolean(true)).isFalse();
        assertThat(refused.body().get("error").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(refused.body().get("msg").asText()).startsWith("API requests too frequent");
        // 3 a minute: the next token comes in 20 s
        assertThat(Long.parseLong(refused.retryAfter())).isBetween(1L, 20L);
    }

    @Test
    void another_key_and_another_route_class_keep_their_own_allowance() {
        String greedy = server.newUser().key();
        String other = server.newUser().key();
        for (int i = 0; i < 3; i++) search(greedy);
        assertThat(search(greedy).status()).isEqualTo(429);

        assertThat(search(other).status()).isEqualTo(200);
        // writes are another class, unlimited on this server
        var write = Http.post(
                server.api() + "/ssh/",
                greedy,
                "{\"ssh_key\": \"" + io.gpumarket.testkit.TestKeys.ed25519("rl") + "\"}");
        assertThat(write.status()).as(write.body()).isEqualTo(200);
    }

    @Test
    void refusals_are_counted_by_route_class_on_the_metrics_page() {
        String key = server.newUser().key();
        for (int i = 0; i < 4; i++) search(key);

        String metrics = Http.get(server.url() + "/metrics", null).body();

        assertThat(metrics).containsPattern("gpumarket_rate_limited_total\\{class=\"search\",?} [1-9]");
    }

    @Test
    void the_typed_client_waits_out_retry_after_and_then_succeeds() {
        TestServer.Account user = server.newUser();
        user.client().currentUser();
        long start = System.nanoTime();

        // 1 read a second: this one is refused once, told to come back in 1 s, and then answered
        var again = user.client().currentUser();

        assertThat(again.get("id")).isNotNull();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void every_route_has_a_class_and_searches_rents_agents_and_admin_have_their_own() {
        Map<String, RouteClass> expected = Map.of(
                "POST /api/v0/bundles", RouteClass.SEARCH,
                "PUT /api/v0/search/asks", RouteClass.SEARCH,
                "PUT /api/v0/asks/{id}", RouteClass.INSTANCE_WRITE,
                "PUT /api/v0/launch_instance", RouteClass.INSTANCE_WRITE,
                "DELETE /api/v0/instances/{id}", RouteClass.INSTANCE_WRITE,
                "GET /api/v0/instances/{id}", RouteClass.READ,
                "POST /api/v0/ssh", RouteClass.WRITE,
                "POST /api/v0/agent/sync", RouteClass.AGENT,
                "POST /api/v0/admin/users", RouteClass.ADMIN,
                "GET /metrics", RouteClass.PUBLIC);
        Map<String, RouteClass> actual = new java.util.HashMap<>();
        for (Router.Route r : server.app().routes()) {
            actual.put(
                    r.method() + " " + r.path().replaceAll("/$", "").replaceAll("\\{[^}]+}", "{id}"),
                    Router.routeClass(r));
        }

        assertThat(actual).doesNotContainValue(null);
        expected.forEach((route, rc) -> assertThat(actual).as(route).containsEntry(route, rc));
    }

    @Test
    void failed_authentications_lock_the_client_address_out_to_all_but_keys_proven_before() {
        try (TestServer guarded = TestServer.start(RateLimits.off().with(Map.of("auth_failures", "3/1m")))) {
            String good = guarded.newUser().key();
            String used = guarded.newUser().key();
            assertThat(call("GET", guarded.api() + "/users/current/", used, null)
                            .status())
                    .isEqualTo(200);
            for (int i = 0; i < 3; i++) {
                assertThat(call("GET", guarded.api() + "/users/current/", "guess-" + i, null)
                                .status())
                        .isEqualTo(401);
            }

            Answer guess = call("GET", guarded.api() + "/users/current/", "guess-3", null);
            Answer right = call("GET", guarded.api() + "/users/current/", good, null);
            Answer agent = call("POST", guarded.api() + "/agent/sync/", "token-guess", "{}");

            assertThat(guess.status()).isEqualTo(429);
            assertThat(guess.body().get("error").asText()).isEqualTo("rate_limit_exceeded");
            assertThat(Long.parseLong(guess.retryAfter())).isBetween(1L, 60L);
            // the lock-out holds against every key from that address: a guesser cannot tell a right guess
            assertThat(right.status()).isEqualTo(429);
            assertThat(agent.status()).isEqualTo(429);
            // a route without a key is not a guess
            assertThat(Http.get(guarded.api() + "/gpu_names/unique/", null).status())
                    .isEqualTo(200);
            // a key that had authenticated before the guessing is someone else behind the same address: it still works
            assertThat(call("GET", guarded.api() + "/users/current/", used, null)
                            .status())
                    .isEqualTo(200);
        }
    }
}
