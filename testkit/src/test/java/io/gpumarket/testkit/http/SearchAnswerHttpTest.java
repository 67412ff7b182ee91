package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.api.Wire;
import io.gpumarket.testkit.FakeClock;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /bundles/} keeps each query's last answer and gives it again while nothing it depends on changed: the
 * market snapshot, the second (start_date, duration), the caller's rented machines. Each of those, changed alone,
 * must give a fresh answer, byte for byte what the generic serializer makes of the index at that moment.
 */
class SearchAnswerHttpTest {
    static final FakeClock CLOCK = new FakeClock(Instant.parse("2026-12-01T12:00:00Z"));

    @RegisterExtension
    static final TestServer server = TestServer.builder().clock(CLOCK).perClass();

    @Test
    void a_repeated_search_is_answered_as_of_its_own_second_market_and_caller() throws Exception {
        TestServer.Account host = server.newUser();
        TestServer.Account renter = server.newRenter();
        TestServer.Account other = server.newRenter();
        long m = server.listMachine(host, TestMachines.machine("RTX 4090", 2, "Oslo, NO", 41500), 0.30, Map.of());
        String dsl = "{\"machine_id\": {\"eq\": " + m + "}, \"limit\": 100, \"order\": [[\"num_gpus\", \"asc\"]]}";

        String first = search(renter, dsl, Set.of());
        assertThat(search(renter, dsl, Set.of())).isEqualTo(first);
        assertThat(offers(first).get(0).get("start_date").asLong())
                .isEqualTo(CLOCK.instant().getEpochSecond());

        CLOCK.advance(Duration.ofSeconds(1));
        String later = search(renter, dsl, Set.of());
        assertThat(offers(later).get(0).get("start_date").asLong())
                .isEqualTo(offers(first).get(0).get("start_date").asLong() + 1);

        // within the same second: a new price shows at once
        var priced = Http.put(
                server.api() + "/machines/create_asks/", host.key(), "{\"machine\": " + m + ", \"price_gpu\": 0.77}");
        assertThat(priced.status()).isEqualTo(200);
        String repriced = search(renter, dsl, Set.of());
        assertThat(offers(repriced).get(0).get("dph_base").asDouble())
                .isGreaterThan(offers(later).get(0).get("dph_base").asDouble());

        // a rental: the renter's answer says rented, and the same query by another caller, in the same second and
        // on the same market, does not
        long offer = offers(repriced).get(0).get("id").asLong();
        var rent =
                Http.put(server.api() + "/asks/" + offer + "/", renter.key(), "{\"image\": \"ubuntu\", \"disk\": 10}");
        assertThat(rent.status()).isEqualTo(200);
        assertThat(offers(search(renter, dsl, Set.of(m))))
                .allSatisfy(o -> assertThat(o.get("rented").asBoolean()).isTrue());
        assertThat(offers(search(other, dsl, Set.of())))
                .allSatisfy(o -> assertThat(o.get("rented").asBoolean()).isFalse());
        assertThat(offers(search(renter, dsl, Set.of(m))))
                .allSatisfy(o -> assertThat(o.get("rented").asBoolean()).isTrue());
    }

    /** The route's answer to {@code who}, after checking it against the index searched at this moment. */
    private static String search(TestServer.Account who, String dsl, Set<Long> rented) throws Exception {
        var r = Http.post(server.api() + "/bundles/", who.key(), dsl);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body())
                .as(dsl)
                .isEqualTo(Wire.mapper()
                        .writeValueAsString(
                                Map.of("offers", SearchPageHttpTest.expected(server, CLOCK.instant(), dsl, rented))));
        return r.body();
    }

    private static JsonNode offers(String body) throws Exception {
        return Wire.mapper().readTree(body).get("offers");
    }
}
