package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gpumarket.api.agent.SyncResponse;
import io.gpumarket.server.ServerApp;
import io.gpumarket.server.ServerConfig;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestAgent;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of one market on one throwaway PostgreSQL (whatever the test backend): the offer index and the agents'
 * long polls follow the other replica's commits, the background loops run once across them, and a second server on
 * one SQLite file is refused (docs/high-availability.md).
 */
class ReplicasHttpTest {
    /** The bound this test holds a change's propagation to (measured figures are in docs/benchmarks.md). */
    static final Duration PROPAGATION = Duration.ofSeconds(5);

    static TestServer a;
    static TestServer b;
    static TestServer.Account host;
    static TestServer.Account renter;

    @BeforeAll
    static void start() {
        a = TestServer.onPostgres(TestServer.builder());
        b = a.replica();
        host = a.newUser();
        renter = a.newRenter();
    }

    @AfterAll
    static void stop() {
        if (b != null) b.close();
        if (a != null) a.close();
    }

    @Test
    void a_machine_listed_on_one_replica_is_offered_by_the_other() {
        long m = a.hostMachine(host, TestMachines.machine("RTX 4090", 2, "Oslo, NO", 44100), 0.4, Map.of())
                .id();
        await().atMost(PROPAGATION)
                .untilAsserted(() -> assertThat(Rentals.offers(b, renter.key(), m))
                        .extracting(o -> o.get("num_gpus").asInt())
                        .containsExactlyInAnyOrder(1, 2));
    }

    @Test
    void a_rent_on_one_replica_makes_the_offer_vanish_from_the_other_replicas_search() {
        long m = a.hostMachine(host, TestMachines.machine("RTX 4090", 1, "Oslo, NO", 44200), 0.4, Map.of())
                .id();
        await().atMost(PROPAGATION)
                .until(() -> !Rentals.offers(b, renter.key(), m).isEmpty());

        Rentals.rent(a, renter, m, 1, "{\"image\": \"busybox\", \"disk\": 10}");
        long rentedAt = System.nanoTime();
        await().atMost(PROPAGATION)
                .pollInterval(Duration.ofMillis(5))
                .until(() -> Rentals.offers(b, renter.key(), m).isEmpty());
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - rentedAt);
        assertThat(ms).isLessThan(PROPAGATION.toMillis());
    }

    @Test
    void an_offer_rented_on_one_replica_cannot_be_rented_again_on_the_other_even_before_it_hears_of_it() {
        long m = a.hostMachine(host, TestMachines.machine("RTX 4090", 1, "Oslo, NO", 44300), 0.4, Map.of())
                .id();
        long offer = Rentals.offer(a, renter.key(), m, 1);
        TestServer.Account other = a.newRenter();

        var first = Rentals.rent(a, renter.key(), offer, "{\"image\": \"busybox\", \"disk\": 10}");
        var second = Rentals.rent(b, other.key(), offer, "{\"image\": \"busybox\", \"disk\": 10}");

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(second.status()).as(second.body()).isEqualTo(404);
        assertThat(second.json().get("error").asText()).isEqualTo("no_such_ask");
        assertThat(a.app().store().repos().instances().liveOnMachine(m)).hasSize(1);
    }

    @Test
    void an_agent_held_on_one_replica_wakes_when_the_other_replica_stops_its_instance() throws Exception {
        var hosted = a.hostMachine(host, TestMachines.machine("RTX 4090", 1, "Oslo, NO", 44400), 0.4, Map.of());
        var rented = Rentals.rent(a, renter, hosted.id(), 1, "{\"image\": \"busybox\", \"disk\": 10}");
        TestAgent agent = new TestAgent(b.url(), hosted.token());
        await().atMost(PROPAGATION).until(() -> agent.sync().instances().size() == 1);
        agent.report(rented.id(), "running");

        // held on B for up to 60 s unless something changes
        CompletableFuture<SyncResponse> held = CompletableFuture.supplyAsync(() -> agent.poll(60));
        var stop = Http.put(a.api() + "/instances/" + rented.id() + "/", renter.key(), "{\"state\": \"stopped\"}");
        assertThat(stop.status()).as(stop.body()).isEqualTo(200);

        SyncResponse woken = held.get(PROPAGATION.toMillis() + 10_000, TimeUnit.MILLISECONDS);
        assertThat(TestAgent.find(woken, rented.id()).intendedStatus()).isEqualTo("stopped");
    }

    @Test
    void each_loop_runs_on_one_replica_and_the_other_takes_it_over_when_its_leader_stops() {
        // a market of its own: its two replicas start with no loop led
        TestServer x = TestServer.onPostgres(TestServer.builder());
        TestServer y = x.replica();
        try {
            // scheduled jobs and webhook delivery turn every second
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Set<String> all = new HashSet<>(x.app().leases().led());
                all.addAll(y.app().leases().led());
                assertThat(all).contains("scheduled-jobs", "webhook-delivery");
            });
            for (int look = 0; look < 20; look++) {
                Set<String> both = new HashSet<>(x.app().leases().led());
                both.retainAll(y.app().leases().led());
                assertThat(both).as("loops led by both replicas").isEmpty();
            }
            TestServer leader = x.app().leases().led().contains("scheduled-jobs") ? x : y;
            TestServer follower = leader == x ? y : x;
            assertThat(follower.app().leases().led()).doesNotContain("scheduled-jobs");

            leader.close();
            // within one interval (1 s) of the lock's release, plus the test's polling
            await().atMost(Duration.ofSeconds(3))
                    .until(() -> follower.app().leases().led().contains("scheduled-jobs"));
        } finally {
            y.close();
            x.close();
        }
    }

    @Test
    void a_second_server_on_one_sqlite_file_is_refused_with_a_clear_error() throws Exception {
        Path home = Files.createTempDirectory("gpumarket-replica");
        ServerConfig config = ServerConfig.defaults(home).withListen("127.0.0.1", 0);
        try (ServerApp first = ServerApp.start(config)) {
            assertThatThrownBy(() -> ServerApp.start(config))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("another gpumarket server is running on")
                    .hasMessageContaining("several replicas need PostgreSQL");
            assertThat(first.ready()).isTrue();
        }
    }

    @Test
    void a_draining_replica_answers_readyz_503_at_once_and_still_serves_requests_until_it_stops() throws Exception {
        TestServer e = a.replica();
        try {
            assertThat(Http.get(e.url() + "/readyz", null).status()).isEqualTo(200);
            CompletableFuture<Void> drained =
                    CompletableFuture.runAsync(() -> e.app().drain(Duration.ofSeconds(3)));
            await().atMost(Duration.ofSeconds(2))
                    .until(() -> Http.get(e.url() + "/readyz", null).status() == 503);
            assertThat(Http.get(e.url() + "/healthz", null).status()).isEqualTo(200);
            var search = Http.post(e.api() + "/bundles/", renter.key(), "{\"limit\": 5}");
            assertThat(search.status()).as(search.body()).isEqualTo(200);
            drained.get(30, TimeUnit.SECONDS);
        } finally {
            e.close();
        }
    }
}
