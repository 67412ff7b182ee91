package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.api.Wire;
import io.gpumarket.server.AgentTimings;
import io.gpumarket.server.http.Access;
import io.gpumarket.server.http.Router;
import io.gpumarket.testkit.TestServer;
import io.gpumarket.testkit.http.RouteFixtures.Entry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever a client sends to whichever route, the server answers below 500, and every refusal is JSON in
 * the Vast shape ({@code {"success": false, "error": code, "msg": text}}) with {@code Content-Type:
 * application/json} exactly. Every route the server registers is tried, round after round, with generated bodies
 * (mutations of the route's valid body from {@link RouteFixtures}, random JSON of random shapes, malformed and
 * deeply nested text, invalid UTF-8), query strings and path ids (negative, huge, non-numeric, 1e999, %00, lone
 * surrogates), as a renter with credit, the admin, the host machine's agent, another user, nobody and a garbage
 * key, so calls get past authentication on user, admin and agent routes alike.
 *
 * <p>Bounded: {@code fuzz.perRoute} inputs per route (default 60) and {@code fuzz.seconds} of wall time (default 60;
 * the first round always runs in full). Deterministic: the inputs follow the seed ({@code fuzz.seed}, printed); the
 * server's answers may differ between runs only where they depend on time.
 */
class EveryRouteFuzzTest {
    static final long DEFAULT_SEED = 20261207L;
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private static final List<String> OTHER_METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
    private static final List<String> CONTENT_TYPES = List.of(
            "text/plain",
            "application/x-www-form-urlencoded",
            "application/json; charset=utf-16",
            "multipart/form-data; boundary=x");

    /**
     * One generated request, kept to report it.
     *
     * @param key sent as {@code Authorization: Bearer}; null when there is none or it went in {@code ?api_key=}
     */
    record Input(String method, String url, String caller, String key, String contentType, byte[] body) {
        String shown() {
            String b = body == null ? "(no body)" : new String(body, StandardCharsets.UTF_8);
            return method + " " + cut(url, 300) + " as " + caller
                    + (contentType == null ? "" : " [" + contentType + "]") + " body " + cut(b, 300);
        }
    }

    @Test
    void no_input_to_any_route_gets_a_5xx_and_every_refusal_is_json_in_the_vast_shape() throws Exception {
        long seed = Long.getLong("fuzz.seed", DEFAULT_SEED);
        int perRoute = Integer.getInteger("fuzz.perRoute", 60);
        Duration budget = Duration.ofSeconds(Long.getLong("fuzz.seconds", 60));
        System.out.println("EveryRouteFuzzTest: seed " + seed + " (replay: -Dfuzz.seed=" + seed + "), backend "
                + TestServer.backend() + ", up to " + perRoute + " inputs per route and " + budget.toSeconds() + " s");
        // a long poll held at most 1 s, and DELETE answering without waiting for an agent that never comes
        AgentTimings timings = new AgentTimings(Duration.ofSeconds(1), 3, Duration.ofMinutes(2), Duration.ZERO);
        try (MatrixMarket m = new MatrixMarket(timings)) {
            Map<String, Entry> fixtures = RouteFixtures.all(m);
            List<Router.Route> routes = m.server.app().routes().stream()
                    .sorted(Comparator.comparing(Router.Route::path).thenComparing(Router.Route::method))
                    .toList();
            Fuzzer fuzzer = new Fuzzer(m, fixtures, new FuzzInputs(seed));
            long start = System.nanoTime();
            long deadline = start + budget.toNanos();
            int rounds = 0;
            for (int round = 0; round < perRoute && (round == 0 || System.nanoTime() < deadline); round++, rounds++) {
                for (Router.Route r : routes) {
                    if (round > 0 && System.nanoTime() >= deadline) break;
                    fuzzer.tryOne(r);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                    "EveryRouteFuzzTest: tried %d inputs over %d routes in %d rounds, %.1f s (%s backend); "
                            + "statuses %s; failures %d%n",
                    fuzzer.tried,
                    routes.size(),
                    rounds,
                    seconds,
                    TestServer.backend(),
                    fuzzer.statuses,
                    fuzzer.failureCount);
            assertThat(fuzzer.perRoute.keySet())
                    .as("every registered route was tried")
                    .hasSize(routes.size());
            assertThat(fuzzer.failures)
                    .as("answers that broke the rule (seed " + seed + ")")
                    .isEmpty();
        }
    }

    /** Generates, sends and judges inputs; remembers each route's target and what went wrong. */
    static final class Fuzzer {
        final MatrixMarket m;
        final Map<String, Entry> fixtures;
        final FuzzInputs in;
        final Map<String, Map<String, String>> targets = new HashMap<>();
        final Map<String, Integer> perRoute = new TreeMap<>();
        final Map<Integer, Integer> statuses = new TreeMap<>();
        final List<String> failures = new ArrayList<>();
        int tried;
        int failureCount;

        Fuzzer(MatrixMarket m, Map<String, Entry> fixtures, FuzzInputs in) {
            this.m = m;
            this.fixtures = fixtures;
            this.in = in;
        }

        void tryOne(Router.Route route) throws InterruptedException {
            String key = route.method() + " " + route.path();
            Entry entry = fixtures.get(key);
            Input input = generate(route, entry);
            tried++;
            perRoute.merge(key, 1, Integer::sum);
            HttpResponse<byte[]> r;
            try {
                r = send(input);
            } catch (IOException e) {
                // a pooled connection the server had closed after its previous answer (one it sends with a body left
                // unread): the client's transport, not this input; an input that kills its connection fails again
                try {
                    r = send(input);
                } catch (IOException again) {
                    fail(input, "no answer: " + again);
                    return;
                }
            }
            statuses.merge(r.statusCode(), 1, Integer::sum);
            String problem = judge(route, input, r);
            if (problem != null)
                fail(
                        input,
                        problem + " — HTTP " + r.statusCode() + " "
                                + r.headers().firstValue("Content-Type").orElse("(none)") + " "
                                + cut(new String(r.body(), StandardCharsets.UTF_8), 400));
        }

        private void fail(Input input, String problem) {
            failureCount++;
            if (failures.size() < 40) failures.add(problem + "\n    for " + input.shown());
        }

        /** Null when the answer keeps the rule, else what is wrong with it. */
        static String judge(Router.Route route, Input input, HttpResponse<byte[]> r) {
            int status = r.statusCode();
            if (status >= 500) return "a 5xx";
            // a rate limiter's 429 answers in Vast's own 429 form (plain text or {"detail": …},
            // docs/vast-compatibility.md §a.4), not this shape
            if (status == 429) return null;
            String type = r.headers().firstValue("Content-Type").orElse(null);
            boolean textRoute = route.path().equals("/metrics")
                    || route.path().startsWith("/instance_logs/")
                    || route.path().equals("/api/v0/agent/speedtest") // the speed test's payload is bytes
                    || route.path().equals("/pubkey"); // the serverless routing key, PEM as the worker library reads it
            // a GET sent in place of another method on a text route's path is answered by that path's GET route
            if (status < 300
                    && textRoute
                    && (input.method().equals(route.method()) || input.method().equals("GET"))) return null;
            if (input.method().equals("OPTIONS") && status < 300) return null;
            if (!"application/json".equals(type)) return "Content-Type is not exactly application/json";
            JsonNode body;
            try {
                body = Wire.mapper().readTree(r.body());
            } catch (IOException e) {
                return "the body is not JSON";
            }
            if (status < 400) return body == null || body.isMissingNode() ? "an empty body" : null;
            if (body == null || !body.isObject()) return "the error is not a JSON object";
            if (!body.path("success").isBoolean() || body.path("success").asBoolean())
                return "the error lacks \"success\": false";
            if (!body.path("error").isTextual() || body.path("error").asText().isBlank())
                return "the error lacks an \"error\" code";
            if (!body.path("msg").isTextual()) return "the error lacks a \"msg\"";
            return null;
        }

        private Input generate(Router.Route route, Entry entry) {
            String routeKey = route.method() + " " + route.path();
            Map<String, String> target = target(routeKey, entry);
            // who calls
            String[] caller = caller(route.access());
            // the path: the route's own resource, or a hostile segment in place of each parameter
            String path = route.path();
            java.util.regex.Matcher p =
                    java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(route.path());
            while (p.find()) {
                String name = p.group(1);
                String value = target.containsKey(name) && in.chance(0.6)
                        ? FuzzInputs.encode(target.get(name))
                        : in.pathSegment();
                path = path.replace("{" + name + "}", value);
            }
            if (in.chance(0.5)) path += "/";
            // the query string
            List<String> params = new ArrayList<>();
            double q = in.random().nextDouble();
            if (q < 0.35 && entry != null && !entry.query.isEmpty()) {
                params.add(substitute(entry.query.substring(1), target));
                if (in.chance(0.5)) params.add(in.queryParam());
            } else if (q < 0.8) {
                for (int i = 1 + in.random().nextInt(3); i > 0; i--) params.add(in.queryParam());
            } else if (q < 0.81) {
                params.add("q=" + "a".repeat(100_000)); // past Jetty's URI limit: 414, as JSON
            }
            if (caller[1] != null && caller[2] != null) params.add("api_key=" + FuzzInputs.encode(caller[1]));
            String url = m.server.url() + path + (params.isEmpty() ? "" : "?" + String.join("&", params));
            // the body
            byte[] body = body(route, entry, target);
            String contentType = body == null
                    ? null
                    : in.chance(0.85) ? "application/json" : in.chance(0.3) ? null : in.pick(CONTENT_TYPES);
            String method = in.chance(0.95) ? route.method() : in.pick(OTHER_METHODS);
            return new Input(method, url, caller[0], caller[2] == null ? caller[1] : null, contentType, body);
        }

        /** {kind, key, "query" when the key goes in ?api_key=}. */
        private String[] caller(Access access) {
            int roll = in.random().nextInt(10);
            String inQuery = in.chance(0.05) ? "query" : null;
            String admin = m.admin.key();
            // team routes act in a team: mostly its owner's team key, so their handlers are reached
            String alice = access == Access.TEAM_READ || access == Access.TEAM_WRITE ? m.team.key() : m.alice.key();
            String machine = m.hostMachine.token();
            return switch (access) {
                case AGENT ->
                    roll < 7
                            ? new String[] {"machine", machine, null}
                            : roll == 7
                                    ? new String[] {"alice", alice, inQuery}
                                    : roll == 8
                                            ? new String[] {"nobody", null, null}
                                            : new String[] {"garbage", garbage(), null};
                case ADMIN ->
                    roll < 7
                            ? new String[] {"admin", admin, inQuery}
                            : roll == 7
                                    ? new String[] {"alice", alice, inQuery}
                                    : roll == 8
                                            ? new String[] {"nobody", null, null}
                                            : new String[] {"garbage", garbage(), inQuery};
                default ->
                    roll < 6
                            ? new String[] {"alice", alice, inQuery}
                            : roll == 6
                                    ? new String[] {"admin", admin, inQuery}
                                    : roll == 7
                                            ? new String[] {"bob", m.bob.key(), inQuery}
                                            : roll == 8
                                                    ? new String[] {"nobody", null, null}
                                                    : new String[] {"garbage", garbage(), inQuery};
            };
        }

        private String garbage() {
            return in.pick(List.of("x", "0".repeat(64), "' OR 1=1 --", "a".repeat(5000), "Bearer", "%00", "null"));
        }

        private byte[] body(Router.Route route, Entry entry, Map<String, String> target) {
            String valid = entry == null ? "{}" : substitute(entry.body(), target);
            if (route.path().equals("/api/v0/agent/sync") && in.chance(0.6)) {
                // a sync reporting on an instance of the machine, so mutations reach the report's fields
                valid = "{\"revision\": 0, \"wait_seconds\": 0, \"removed\": [], \"instances\": [{\"id\": "
                        + m.sharedInstance
                        + ", \"actual_status\": \"running\", \"status_msg\": \"ok\", \"ssh_port\": 0, \"disk_usage_gb\": 1.5, "
                        + "\"cpu_util\": 0.5, \"started_at\": "
                        + (m.clock.instant().getEpochSecond() - 100)
                        + ", \"applied_revision\": 0, \"rx_bytes\": 1000, \"tx_bytes\": 2000}]}";
            }
            if (route.path().startsWith("/api/v0/agent/logs/")) {
                // a program's output: any text at all, NUL and broken UTF-8 included
                return in.chance(0.5)
                        ? in.invalidUtf8Body()
                        : FuzzInputs.json(in.value(2)).getBytes(StandardCharsets.UTF_8);
            }
            double roll = in.random().nextDouble();
            if (roll < 0.05) return null;
            if (roll < 0.15) return valid.getBytes(StandardCharsets.UTF_8);
            if (roll < 0.60) {
                Object parsed;
                try {
                    parsed = Wire.mapper().readValue(valid, Object.class);
                } catch (IOException notJson) {
                    parsed = valid;
                }
                return FuzzInputs.json(in.mutate(parsed)).getBytes(StandardCharsets.UTF_8);
            }
            if (roll < 0.80)
                return FuzzInputs.json(in.chance(0.7) ? Map.of(in.key(), in.value(4)) : in.value(4))
                        .getBytes(StandardCharsets.UTF_8);
            if (roll < 0.95) return in.rawBody().getBytes(StandardCharsets.UTF_8);
            return in.invalidUtf8Body();
        }

        /** The route's own resource, made once (a resource the fuzzing destroyed stays destroyed: its absence is fuzzed too). */
        private Map<String, String> target(String routeKey, Entry entry) {
            if (entry == null || entry.target == null) return Map.of();
            return targets.computeIfAbsent(routeKey, k -> {
                try {
                    return entry.target.get();
                } catch (RuntimeException | AssertionError gone) {
                    return entry.missing;
                }
            });
        }

        private static String substitute(String text, Map<String, String> values) {
            for (Map.Entry<String, String> v : values.entrySet()) text = text.replace("$" + v.getKey(), v.getValue());
            return text;
        }

        private static HttpResponse<byte[]> send(Input input) throws IOException, InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(input.url()))
                    .timeout(Duration.ofSeconds(30))
                    .method(
                            input.method(),
                            input.body() == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofByteArray(input.body()));
            if (input.contentType() != null) b.header("Content-Type", input.contentType());
            if (input.key() != null) b.header("Authorization", "Bearer " + input.key());
            return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        }
    }

    static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "… (" + s.length() + " characters)";
    }
}
