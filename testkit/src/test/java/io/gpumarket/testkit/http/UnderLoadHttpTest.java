package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.api.Wire;
import io.gpumarket.api.agent.SyncRequest;
import io.gpumarket.core.machine.MachineSpec;
import io.gpumarket.server.auth.Secrets;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14's lock-up, as a test rather than a timing: thousands of agents long-polling over real HTTP with their
 * machine tokens, plus renters renting and destroying as fast as they can, and a user asking who they are every
 * 200 ms. On SQLite before the write gate, waiting writers pinned every carrier thread inside SQLite's busy handler
 * and the server stopped answering anything. The server must answer the user within seconds throughout, and every
 * agent's sync must be answered (a 503 with {@code Retry-After} when writes are shed counts as answered).
 */
class UnderLoadHttpTest {
    static final int AGENTS = 2_000;
    static final int RENTERS = 16;
    static final int RENTED_MACHINES = 40;
    static final Duration WATCH = Duration.ofSeconds(25);
    static final Duration WITHIN = Duration.ofSeconds(5);
    /** Agents come up over this long (400 a second), as hosts do, rather than in the same millisecond. */
    static final Duration RAMP = Duration.ofSeconds(5);

    /** Agents per HTTP client: the JDK client has one selector thread, which thousands of connections would swamp. */
    static final int AGENTS_PER_CLIENT = 100;

    /** The watcher's and the renters' own client, so that the agents' connections never delay their requests. */
    private final HttpClient http = client();
    private final List<HttpClient> agentClients = new ArrayList<>();
    private final AtomicLong resets = new AtomicLong();

    private static HttpClient client() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void the_server_answers_a_user_within_seconds_while_two_thousand_agents_sync_and_renters_rent() throws Exception {
        try (TestServer server = TestServer.start()) {
            TestServer.Account host = server.newUser();
            TestServer.Account watcher = server.newUser();
            List<TestServer.Account> renters = new ArrayList<>();
            for (int i = 0; i < RENTERS; i++) renters.add(server.newRenter(100_000));
            List<Long> rentable = new ArrayList<>();
            for (int i = 0; i < RENTED_MACHINES; i++) {
                rentable.add(server.hostMachine(host, TestMachines.machine("RTX 4090", 8, "Oslo, NO", 20_000 + 100 * i), 0.4,
                        Map.of("verification", "verified")).id());
            }
            List<String> tokens = registerAgents(server, host.id());

            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong synced = new AtomicLong();
            AtomicLong shed = new AtomicLong();
            AtomicLong rented = new AtomicLong();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            CountDownLatch everyAgentSynced = new CountDownLatch(AGENTS);
            try (ExecutorService load = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < tokens.size(); i++) {
                    String token = tokens.get(i);
                    Duration startAfter = RAMP.multipliedBy(i).dividedBy(tokens.size());
                    if (i % AGENTS_PER_CLIENT == 0) agentClients.add(client());
                    HttpClient client = agentClients.get(agentClients.size() - 1);
                    load.submit(() -> agent(server, client, token, startAfter, running, synced, shed, everyAgentSynced, failures));
                }
                for (int i = 0; i < RENTERS; i++) {
                    TestServer.Account renter = renters.get(i);
                    List<Long> order = new ArrayList<>(rentable);
                    java.util.Collections.rotate(order, i);
                    load.submit(() -> renter(server, renter, order, running, rented, shed, failures));
                }

                List<String> slow = new ArrayList<>();
                int asked = 0;
                Instant end = Instant.now().plus(WATCH);
                while (Instant.now().isBefore(end)) {
                    long began = System.nanoTime();
                    String outcome = whoAmI(server, watcher.key());
                    Duration took = Duration.ofNanos(System.nanoTime() - began);
                    asked++;
                    if (outcome != null || took.compareTo(WITHIN) > 0) {
                        slow.add("after " + asked + " answers: " + (outcome == null ? "200" : outcome) + " in " + took.toMillis() + " ms");
                    }
                    Thread.sleep(Math.max(0, 200 - took.toMillis()));
                }
                boolean allSynced = everyAgentSynced.await(30, TimeUnit.SECONDS);
                running.set(false);
                load.shutdownNow();
                agentClients.forEach(HttpClient::shutdownNow); // held long polls end now, not at the server's stop

                assertThat(slow).as("users/current answered within " + WITHIN + " with 200, every time (" + asked
                        + " asks; agents synced " + synced + " times, " + resets + " connections reset, " + shed + " writes shed, "
                        + rented + " rented; "
                        + failures.size() + " failures, first: " + failures.stream().limit(3).toList() + ")").isEmpty();
                assertThat(allSynced).as("every agent got at least one sync answered (" + everyAgentSynced.getCount()
                        + " did not)").isTrue();
                assertThat(failures).as("every sync and rent was answered (200, or 503 with Retry-After)").isEmpty();
                assertThat(rented.get()).as("the renters got contracts while the agents synced").isPositive();
            }
        }
    }

    /**
     * Machines registered straight through the store in one transaction (2,000 registrations over HTTP would take
     * longer than the test), each with a token of its own, as a host's agents would hold them.
     */
    private static List<String> registerAgents(TestServer server, long hostId) {
        MachineSpec spec = server.app().store().repos().machines().find(
                server.hostMachine(server.newUser(), TestMachines.machine("RTX 3090", 1, "Lyon, FR", -1), 0.2, Map.of()).id())
                .orElseThrow().spec();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < AGENTS; i++) tokens.add("load-agent-" + i + "-" + System.nanoTime());
        Instant now = Instant.now();
        server.app().store().inTransaction(tx -> {
            for (String t : tokens) tx.machines().register(hostId, spec, Secrets.hash(t), 0.9, now);
            return null;
        });
        return tokens;
    }

    /** An idle agent: starts after {@code startAfter}, then long polls one heartbeat at a time, backing off when told to. */
    private void agent(TestServer server, HttpClient client, String token, Duration startAfter, AtomicBoolean running, AtomicLong synced,
                       AtomicLong shed, CountDownLatch firstSync, ConcurrentLinkedQueue<String> failures) {
        long revision = 0;
        boolean counted = false;
        try {
            Thread.sleep(startAfter);
        } catch (InterruptedException e) {
            return;
        }
        while (running.get()) {
            try {
                String body = Wire.mapper().writeValueAsString(new SyncRequest(revision, 10, List.of(), List.of()));
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(server.api() + "/agent/sync/"))
                        .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    revision = Wire.mapper().readTree(r.body()).get("revision").asLong();
                    synced.incrementAndGet();
                    if (!counted) {
                        counted = true;
                        firstSync.countDown();
                    }
                } else if (!backedOff(r, shed)) {
                    failures.add("sync: HTTP " + r.statusCode() + " " + r.body());
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } catch (java.io.IOException e) {
                // a connection the server closed (a real agent retries too); counted, and tried again in a second
                if (!running.get()) return;
                resets.incrementAndGet();
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException stop) {
                    return;
                }
            } catch (Exception e) {
                if (running.get()) failures.add("sync: " + e);
                return;
            }
        }
    }

    /**
     * A renter renting single GPUs, machine after machine, until every machine is taken (a burst: all renters at
     * once, racing each other for the same offers).
     */
    private void renter(TestServer server, TestServer.Account renter, List<Long> machines, AtomicBoolean running,
                        AtomicLong rented, AtomicLong shed, ConcurrentLinkedQueue<String> failures) {
        int at = 0;
        while (running.get() && at < machines.size()) {
            try {
                var offers = Rentals.offers(server, renter.key(), machines.get(at));
                var single = offers.stream().filter(o -> o.get("num_gpus").asInt() == 1).findFirst();
                if (single.isEmpty()) {
                    at++;
                    continue;
                }
                HttpResponse<String> r = send(server, "PUT", "/asks/" + single.get().get("id").asLong() + "/", renter.key(),
                        Rentals.QUICKSTART_BODY);
                if (r.statusCode() == 200) {
                    rented.incrementAndGet();
                } else if (r.statusCode() != 404 && r.statusCode() != 410 && !backedOff(r, shed)) {
                    // 404/410: another renter took the offer first (the rent race), which is an answer too
                    failures.add("rent: HTTP " + r.statusCode() + " " + r.body());
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } catch (Throwable e) {
                if (running.get()) failures.add("rent: " + e);
                return;
            }
        }
    }

    /** A 503 with Retry-After: waits as told and answers true; anything else false. */
    private static boolean backedOff(HttpResponse<String> r, AtomicLong shed) throws InterruptedException {
        if (r.statusCode() != 503) return false;
        var after = r.headers().firstValue("Retry-After");
        if (after.isEmpty()) return false;
        shed.incrementAndGet();
        Thread.sleep(Duration.ofSeconds(Long.parseLong(after.get())));
        return true;
    }

    /** null when answered 200; else what went wrong. */
    private String whoAmI(TestServer server, String key) {
        try {
            HttpResponse<String> r = send(server, "GET", "/users/current/", key, null);
            return r.statusCode() == 200 ? null : "HTTP " + r.statusCode() + " " + r.body();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private HttpResponse<String> send(TestServer server, String method, String path, String key, String body)
            throws java.io.IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.api() + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + key)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
