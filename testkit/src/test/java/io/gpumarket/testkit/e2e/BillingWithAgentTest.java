package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.server.AgentTimings;
import io.gpumarket.testkit.FakeClock;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Billing with the real agent (its own JVM, the process launcher, real ssh) and a meter ticked on a clock the test
 * moves: the server records every state change the agent reports at the clock's time, so a known timeline gives
 * known charges. Heartbeats of 10 min with 20 missed before a host counts as silent keep the host present however
 * far the test moves the clock between the agent's reports.
 */
class BillingWithAgentTest {
    static final AgentTimings PATIENT =
            new AgentTimings(Duration.ofMinutes(10), 20, Duration.ofHours(6), Duration.ofSeconds(20));
    static final Instant T0 = FakeClock.DEFAULT_START;

    @TempDir
    Path dir;

    final FakeClock clock = new FakeClock();

    void at(long minutes) {
        clock.set(T0.plus(Duration.ofMinutes(minutes)));
    }

    static double credit(LiveMarket market) {
        return Http.get(market.server.api() + "/users/current/", market.renter.key())
                .json()
                .get("credit")
                .asDouble();
    }

    /** Micro-dollars of storage for this long at the instance's frozen $/GB/month (a month of 720 h), floored. */
    static long storage(JsonNode instance, long minutes) {
        long pricePerGbMonth = Math.round(instance.get("storage_cost").asDouble() * 1e6);
        long milliGb = Math.round(instance.get("disk_space").asDouble() * 1000);
        return Math.floorDiv(minutes * 60_000 * pricePerGbMonth * milliGb, 720L * 3_600_000 * 1000);
    }

    @Test
    void an_instance_run_for_ninety_minutes_then_stopped_and_destroyed_costs_exactly_its_gpu_time_and_storage()
            throws Exception {
        at(0);
        try (LiveMarket market = new LiveMarket(TestServer.start(clock, PATIENT), dir)) {
            long id = market.rent("echo up > /root/up");
            int port = market.awaitRunning(id);
            assertThat(market.exec(port, "cat /root/up").output()).isEqualTo("up\n");
            JsonNode instance = market.instance(id);
            long gpuPerHour = Math.round(instance.get("dph_base").asDouble() * 1e6);

            at(90);
            Http.put(market.server.api() + "/instances/" + id + "/", market.renter.key(), "{\"state\": \"stopped\"}");
            market.awaitStatus(id, "stopped", Duration.ofSeconds(30));
            at(150);
            assertThat(Http.delete(market.server.api() + "/instances/" + id + "/", market.renter.key(), "{}")
                            .status())
                    .isEqualTo(200);
            at(180);
            market.server.tick();

            long gpu = gpuPerHour * 90 / 60;
            long disk = storage(instance, 150);
            assertThat(Math.round((1000 - credit(market)) * 1e6))
                    .as("GPU for 0..90 min, storage for 0..150 min")
                    .isEqualTo(gpu + disk);
            JsonNode charge = Http.get(
                            market.server.api() + "/charges/?format=tree&select_filters="
                                    + Http.encode("{\"day\": {\"gte\": " + T0.getEpochSecond() + ", \"lte\": "
                                            + (T0.getEpochSecond() + 86_400) + "}}"),
                            market.renter.key())
                    .json()
                    .get("results")
                    .get(0);
            assertThat(charge.get("source").asText()).isEqualTo("instance-" + id);
            assertThat(charge.get("items").get(0).get("description").asText())
                    .isEqualTo(String.format(java.util.Locale.ROOT, "1.500 hours at $%.3f/hour", gpuPerHour / 1e6));
            assertThat(Math.round(charge.get("items").get(1).get("amount").asDouble() * 1e6))
                    .isEqualTo(disk);
        }
    }

    @Test
    void when_the_renters_credit_runs_out_the_agent_stops_the_instance_and_keeps_its_files() throws Exception {
        at(0);
        try (LiveMarket market = new LiveMarket(TestServer.start(clock, PATIENT), dir, 0.40)) {
            long id = market.rent("true");
            assertThat(market.exec(market.awaitRunning(id), "echo kept > /workspace/kept")
                            .exitCode())
                    .isZero();

            at(60);
            market.server.tick();
            assertThat(market.instance(id).get("actual_status").asText())
                    .as("an hour at $0.30/h: still in credit")
                    .isEqualTo("running");
            at(90);
            market.server.tick();

            assertThat(credit(market)).isNegative();
            market.awaitStatus(id, "stopped", Duration.ofSeconds(30));
            assertThat(market.instance(id).get("status_msg").asText()).contains("out of credit");
            var start = Http.put(
                    market.server.api() + "/instances/" + id + "/", market.renter.key(), "{\"state\": \"running\"}");
            assertThat(start.json().get("error").asText()).isEqualTo("missing_billing");

            market.server.credit(market.renter, 5);
            Http.put(market.server.api() + "/instances/" + id + "/", market.renter.key(), "{\"state\": \"running\"}");
            int port = market.awaitRunning(id);
            assertThat(market.exec(port, "cat /workspace/kept").output())
                    .as("the stop kept the disk")
                    .isEqualTo("kept\n");
        }
    }
}
