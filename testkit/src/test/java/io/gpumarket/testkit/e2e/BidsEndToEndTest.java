package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.api.agent.DesiredInstance;
import io.gpumarket.server.AgentTimings;
import io.gpumarket.server.BillingConfig;
import io.gpumarket.testkit.FakeClock;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interruptible instances end to end (docs/bids.md): a real server on a clock the test moves, a real agent in its
 * own JVM running real processes, and the stock ssh client. A host lists a one-GPU machine with an on-demand price
 * and a minimum bid; a renter bids, is outbid, is displaced by on-demand, and resumes when the others end; the meter
 * then charges each instance for exactly the minutes it ran, bids at their bid.
 */
class BidsEndToEndTest {
    static final Instant T0 = FakeClock.DEFAULT_START;
    /** Heartbeats slow enough that ten minutes of the test's clock between two syncs is no silence. */
    static final AgentTimings SLOW_BEATS =
            new AgentTimings(Duration.ofMinutes(10), 3, Duration.ofHours(1), Duration.ofSeconds(5));

    static final String LISTING = "\"price_gpu\": 0.4, \"price_min_bid\": 0.1";

    @TempDir
    Path dir;

    final FakeClock clock = new FakeClock();

    void at(int minutes) {
        clock.set(T0.plusSeconds(minutes * 60L));
    }

    static void awaitState(LiveMarket market, long id, String status, String msgStart) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode i = market.instance(id);
            assertThat(i.path("actual_status").asText()).as(i.toString()).isEqualTo(status);
            if (msgStart != null) assertThat(i.path("status_msg").asText()).startsWith(msgStart);
        });
    }

    static void destroy(LiveMarket market, long id) {
        assertThat(Http.delete(market.server.api() + "/instances/" + id + "/", market.renter.key(), "{}")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void outbid_and_displaced_bids_stop_keep_their_disk_resume_by_themselves_and_pay_only_for_running_time()
            throws Exception {
        try (LiveMarket market = new LiveMarket(TestServer.start(clock, SLOW_BEATS), dir, 1000, 1, LISTING)) {
            at(0);
            long low = market.rent("echo up >> /root/starts", "{}", ", \"price\": 0.2");
            market.awaitRunning(low);

            at(10);
            long high = market.rent("true", "{}", ", \"price\": 0.5");
            awaitState(market, high, "running", null);
            awaitState(market, low, "stopped", "preempted: outbid");

            at(20);
            long onDemand = market.rent("true");
            awaitState(market, onDemand, "running", null);
            awaitState(market, high, "stopped", "preempted: displaced by on-demand");
            assertThat(market.instance(low).path("status_msg").asText()).startsWith("preempted: outbid");

            at(30);
            destroy(market, onDemand);
            awaitState(market, high, "running", null);
            assertThat(market.instance(low).path("actual_status").asText())
                    .as("still outbid")
                    .isEqualTo("stopped");

            at(40);
            destroy(market, high);
            int port = market.awaitRunning(low);
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(market.exec(port, "wc -l < /root/starts")
                                    .output()
                                    .trim())
                            .as("its disk was kept; it started a second time")
                            .isEqualTo("2"));
            JsonNode resumed = market.instance(low);
            assertThat(resumed.path("is_bid").asBoolean()).isTrue();
            assertThat(resumed.path("preempted_reason").asText()).isEqualTo("outbid");

            at(50);
            destroy(market, low);
            at(60);
            market.server.tick();

            // GPU time: low ran 0-10 and 40-50 at its $0.20 bid, high 10-20 and 30-40 at $0.50, on-demand 20-30 at
            // $0.40
            Map<Long, Double> gpu = gpuCharges(market);
            assertThat(gpu)
                    .containsEntry(low, 20 * 60_000L * 200_000 / 3_600_000 / 1e6)
                    .containsEntry(high, 20 * 60_000L * 500_000 / 3_600_000 / 1e6)
                    .containsEntry(onDemand, 10 * 60_000L * 400_000 / 3_600_000 / 1e6);
        }
    }

    @Test
    void a_notice_window_tells_the_job_inside_the_instance_before_it_is_stopped() throws Exception {
        try (LiveMarket market = new LiveMarket(
                TestServer.start(clock, SLOW_BEATS, BillingConfig.manual(), Duration.ofMinutes(2)),
                dir,
                1000,
                1,
                LISTING)) {
            at(0);
            long low = market.rent("true", "{}", ", \"price\": 0.2");
            int port = market.awaitRunning(low);
            long high = market.rent("true", "{}", ", \"price\": 0.5");

            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(market.exec(port, "cat " + DesiredInstance.NOTICE_FILE)
                                    .output())
                            .startsWith("outbid; stopping at "));
            assertThat(market.instance(low).path("actual_status").asText()).isEqualTo("running");
            assertThat(market.instance(low).path("status_msg").asText()).startsWith("preemption notice: outbid");
            assertThat(market.instance(high).path("actual_status").asText()).isEqualTo("scheduling");

            at(2);
            market.server.app().bids().expireNotices();
            awaitState(market, low, "stopped", "preempted: outbid");
            awaitState(market, high, "running", null);
        }
    }

    /** Each instance's GPU charge, from the charges page in its tree form. */
    static Map<Long, Double> gpuCharges(LiveMarket market) {
        JsonNode page = Http.get(
                        market.server.api() + "/charges/?format=tree&select_filters="
                                + Http.encode("{\"day\": {\"gte\": " + T0.getEpochSecond() + ", \"lte\": "
                                        + (T0.getEpochSecond() + 86_400) + "}}"),
                        market.renter.key())
                .json();
        Map<Long, Double> out = new HashMap<>();
        for (JsonNode r : page.get("results")) {
            long id = Long.parseLong(r.get("source").asText().substring("instance-".length()));
            for (JsonNode item : r.get("items"))
                if ("gpu".equals(item.get("type").asText()))
                    out.put(id, item.get("amount").asDouble());
        }
        return out;
    }
}
