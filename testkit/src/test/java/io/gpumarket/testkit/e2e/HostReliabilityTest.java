package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.core.machine.ReliabilityPolicy;
import io.gpumarket.server.AgentTimings;
import io.gpumarket.server.BillingConfig;
import io.gpumarket.server.UpkeepConfig;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host's operations with a real agent, short heartbeats and the upkeep loop running: reliability earned while
 * the agent syncs, lost while it is silent (no more than the formula allows for the silence the test caused),
 * earned back when it returns; a maintenance window and a renter's report on the running instance.
 */
class HostReliabilityTest {
    @TempDir
    Path dir;

    /** No decay to speak of and no prior: reliability is the share of watched time the agent was heard. */
    static final ReliabilityPolicy PLAIN =
            new ReliabilityPolicy(Duration.ofHours(1), Duration.ofDays(1000), Duration.ZERO, 0.9, 4);

    @Test
    void a_host_that_goes_silent_loses_reliability_by_the_formula_and_earns_it_back() throws Exception {
        var timings = new AgentTimings(Duration.ofSeconds(1), 2, Duration.ofSeconds(5), Duration.ofSeconds(3));
        Duration silentAfter = timings.liveness().unknownAfter();
        var upkeep = new UpkeepConfig(Duration.ofMillis(200), PLAIN);
        long before = System.currentTimeMillis();
        try (LiveMarket market =
                new LiveMarket(TestServer.start(Clock.systemUTC(), timings, BillingConfig.manual(), upkeep), dir)) {
            long id = market.rent("echo up");
            market.awaitRunning(id);
            // heard from since it started, and its one start worked: nothing to hold against it
            await().atMost(Duration.ofSeconds(10)).until(() -> reliability(market) == 1.0);
            assertThat(market.instance(id).get("reliability2").asDouble()).isEqualTo(1.0);

            market.agent.kill();
            long killed = System.currentTimeMillis();
            market.awaitStatus(id, "offline", Duration.ofSeconds(20));
            // silent for at least (t − killed − threshold) of at most (t − before) watched: the value computed at any
            // t ≥ now − 1 s (the loop runs every 200 ms) is at most 1 − that share
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                double r = reliability(market);
                double t = System.currentTimeMillis() - 1000;
                double bound = 1 - (t - killed - silentAfter.toMillis()) / (t - before);
                return r < 1.0 && r <= bound + 1e-9;
            });
            double low = reliability(market);
            assertThat(market.instance(id).get("reliability2").asDouble()).isLessThanOrEqualTo(low);
            String offers = Http.post(
                            market.server.api() + "/bundles/",
                            market.renter.key(),
                            "{\"machine_id\": {\"eq\": " + market.machine + "}}")
                    .body();
            assertThat(offers).doesNotContain("\"reliability\":1.0");

            market.agent.start();
            market.awaitStatus(id, "running", Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(30)).until(() -> reliability(market) > low + 0.01);
        }
    }

    @Test
    void renters_of_a_real_instance_see_the_hosts_maintenance_window_and_the_host_reads_their_report()
            throws Exception {
        try (LiveMarket market = new LiveMarket(TestServer.start(Clock.systemUTC()), dir)) {
            long id = market.rent("echo up");
            market.awaitRunning(id);
            String machine = market.server.api() + "/machines/" + market.machine;
            double start = System.currentTimeMillis() / 1000.0 + 3600;
            var scheduled = Http.put(
                    machine + "/dnotify/",
                    market.host.key(),
                    "{\"client_id\": \"me\", \"sdate\": " + start
                            + ", \"duration\": 2, \"maintenance_category\": \"disk\"}");
            assertThat(scheduled.json().get("you_sent").asText()).isEqualTo("1 notifications sent");
            JsonNode windows = market.instance(id).get("maintenances");
            assertThat(windows).hasSize(1);
            assertThat(windows.get(0).get("maintenance_category").asText()).isEqualTo("disk");
            assertThat(windows.get(0).get("duration_hours").asDouble()).isEqualTo(2.0);

            var filed = Http.post(
                    market.server.api() + "/instances/" + id + "/reports/",
                    market.renter.key(),
                    "{\"problem\": \"disk is slow\", \"message\": \"writes at 5 MB/s\"}");
            assertThat(filed.status()).as(filed.body()).isEqualTo(200);
            JsonNode reports = Http.call(
                            "GET", machine + "/reports/", market.host.key(), "{\"machine_id\": " + market.machine + "}")
                    .json();
            assertThat(reports).hasSize(1);
            assertThat(reports.get(0).get("problem").asText()).isEqualTo("disk is slow");
            assertThat(Http.call("GET", machine + "/reports/", market.renter.key(), "{}")
                            .status())
                    .isEqualTo(403);
        }
    }

    private static double reliability(LiveMarket market) {
        return Http.get(market.server.api() + "/machines/" + market.machine + "/", market.host.key())
                .json()
                .get(0)
                .get("reliability2")
                .asDouble();
    }
}
