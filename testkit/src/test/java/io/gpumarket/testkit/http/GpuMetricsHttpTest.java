package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.testkit.FakeClock;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/v0/metrics/gpu/current|history|locations} computed from the market's own machines, contracts and kept
 * snapshots (both backends): a rental made in the test moves GPUs from available to rented, now and in the history.
 */
class GpuMetricsHttpTest {
    @Test
    void metrics_reflect_the_rentals_made_now_over_time_and_by_place() {
        FakeClock clock = new FakeClock();
        try (TestServer server = TestServer.builder().clock(clock).start()) {
            var host = server.newUser();
            var renter = server.newRenter();
            long oslo = server.listMachine(
                    host,
                    TestMachines.machine("RTX 4090", 4, "Oslo, NO", 41000),
                    0.40,
                    Map.of("verification", "verified", "reliability", 0.99));
            server.listMachine(host, TestMachines.machine("A100 SXM4", 2, "Austin, US", 42000), 1.20, Map.of());
            Instant before = clock.instant();
            server.app().marketMetrics().snapshot();

            JsonNode idle = current(server, renter.key(), "").get("RTX 4090");
            assertThat(idle.get("avail_verified").asInt()).isEqualTo(4);
            assertThat(idle.get("rented_verified").asInt()).isZero();

            Rentals.rentOne(server, renter, oslo);
            clock.advance(Duration.ofMinutes(10));
            server.app().marketMetrics().snapshot();

            JsonNode now = current(server, renter.key(), "").get("RTX 4090");
            assertThat(now.get("rented_verified").asInt()).isEqualTo(1);
            assertThat(now.get("avail_verified").asInt()).isEqualTo(3);
            assertThat(now.get("total").asInt()).isEqualTo(4);
            assertThat(now.get("usage").asDouble()).isEqualTo(25.0);
            assertThat(now.get("price_median").asDouble()).isEqualTo(0.40);
            assertThat(now.get("rented_median").asDouble()).isEqualTo(0.40);
            // filters: the unverified A100 only, and nothing in the 8-GPU bucket
            assertThat(current(server, renter.key(), "?verified=no").keySet()).containsExactly("A100 SXM4");
            assertThat(current(server, renter.key(), "?num_gpus=8")).isEmpty();
            assertThat(Http.get(server.api() + "/metrics/gpu/current/?verified=maybe", renter.key())
                            .status())
                    .isEqualTo(400);

            long start = before.getEpochSecond() - 60;
            long end = clock.instant().getEpochSecond() + 60;
            JsonNode history = Http.get(
                            server.api() + "/metrics/gpu/history/?gpu_name=RTX_4090&start=" + start + "&end=" + end
                                    + "&step=60",
                            renter.key())
                    .json()
                    .get("gpus")
                    .get("RTX 4090");
            assertThat(history.get("supply_demand").get("rented_verified").toString())
                    .isEqualTo("[0,1]");
            assertThat(history.get("supply_demand").get("avail_verified").toString())
                    .isEqualTo("[4,3]");
            assertThat(history.get("pricing").get("rented_median").get(1).asDouble())
                    .isEqualTo(0.40);

            JsonNode locations = Http.get(server.api() + "/metrics/gpu/locations/", renter.key())
                    .json()
                    .get("locations");
            assertThat(locations.toString())
                    .contains(
                            "\"gpu_name\":\"RTX 4090\",\"city\":\"Oslo\",\"country_code\":\"NO\"",
                            "\"num_gpus\":1,\"rented\":true",
                            "\"num_gpus\":3,\"rented\":false");
        }
    }

    private static Map<String, JsonNode> current(TestServer server, String key, String query) {
        var r = Http.get(server.api() + "/metrics/gpu/current/" + query, key);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Map<String, JsonNode> byName = new java.util.LinkedHashMap<>();
        r.json().get("gpus").forEach(g -> byName.put(g.get("gpu_name").asText(), g));
        return byName;
    }
}
