package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.testkit.Http;
import java.time.Duration;

/**
 * What the migration tests with real agents ask of the route the same way (docs/migrate.md): move an instance to an
 * offer, read its newest migration, wait for the move to end.
 */
final class Moves {
    private Moves() {}

    /** {@code PUT /instances/migrate/{x}/} to the offer; the request must be taken. */
    static void moveTo(String api, String key, long x, long offer) {
        var moved = Http.put(api + "/instances/migrate/" + x + "/", key, "{\"offer_id\": " + offer + "}");
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
    }

    /** The instance's newest migration. */
    static JsonNode latest(String api, String key, long x) {
        return Http.get(api + "/instances/migrate/" + x + "/", key)
                .json()
                .get("migrations")
                .get(0);
    }

    /** Waits until the newest move is {@code done}, failing at once if it was given up instead. */
    static void awaitDone(String api, String key, long x, Duration within) {
        await().atMost(within).untilAsserted(() -> {
            JsonNode m = latest(api, key, x);
            assertThat(m.get("state").asText()).as(m.toString()).isNotEqualTo("rolled_back");
            assertThat(m.get("state").asText()).as(m.toString()).isEqualTo("done");
        });
    }
}
