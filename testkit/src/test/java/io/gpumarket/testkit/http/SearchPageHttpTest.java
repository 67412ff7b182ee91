package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.api.Wire;
import io.gpumarket.core.search.OfferQueryParser;
import io.gpumarket.core.search.SearchContext;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The search routes write their pages straight to the JSON generator; the bytes must be exactly what the generic
 * serializer makes of the same offers (every field, its order, number formats, nulls), at a fixed clock so that
 * the in-process page and the route's page are the same page.
 */
class SearchPageHttpTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);

    @RegisterExtension
    static final TestServer server = TestServer.builder().clock(CLOCK).perClass();

    static TestServer.Account renter;

    @BeforeAll
    static void start() {
        TestServer.Account host = server.newUser();
        renter = server.newRenter();
        var verified = Map.<String, Object>of("verification", "verified", "reliability", 0.99);
        server.listMachine(host, TestMachines.machine("RTX 4090", 2, "Oslo, NO", 41500), 0.30, verified);
        server.listMachine(host, TestMachines.machine("RTX 4090", 1, "Lima, PE", -1), 0.2345678, Map.of());
        server.listMachine(host, TestMachines.machine("H100 SXM", 8, "Austin, US", 41600), 2.5, verified);
    }

    @Test
    void a_search_page_is_byte_for_byte_what_the_generic_serializer_writes() throws Exception {
        for (String dsl : List.of(
                "{\"limit\": 100}",
                SearchHttpTest.QUICKSTART,
                "{\"type\": \"bid\", \"allocated_storage\": 33.3, \"order\": [[\"dph_total\", \"asc\"]]}")) {
            var r = Http.post(server.api() + "/bundles/", renter.key(), dsl);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).as(dsl).isEqualTo(Wire.mapper().writeValueAsString(Map.of("offers", expected(dsl))));

            var asks = Http.put(server.api() + "/search/asks/", renter.key(), "{\"q\": " + dsl + "}");
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("success", true);
            body.put("offers", expected(dsl));
            assertThat(asks.body()).as(dsl).isEqualTo(Wire.mapper().writeValueAsString(body));
        }
        assertThat(Http.post(server.api() + "/bundles/", renter.key(), "{\"limit\": 100}")
                        .json()
                        .get("offers")
                        .size())
                .isEqualTo(server.app().market().snapshot().size());
    }

    /**
     * The route keeps each offer's encoded JSON between searches: a change to the machine (its price, a rental, an
     * unlisting) must show in the very next answer, byte for byte what the generic serializer makes of the index.
     */
    @Test
    void the_next_search_after_a_price_change_a_rental_or_an_unlisting_shows_it() throws Exception {
        TestServer.Account host = server.newUser();
        TestServer.Account someone = server.newRenter();
        long m = server.listMachine(host, TestMachines.machine("RTX 3090", 2, "Quito, EC", 41700), 0.41, Map.of());
        String dsl = "{\"machine_id\": {\"eq\": " + m + "}, \"limit\": 100, \"order\": [[\"num_gpus\", \"asc\"]]}";

        JsonNode before = searchAs(someone, dsl, Set.of());
        assertThat(before).isNotEmpty();
        searchAs(someone, dsl, Set.of()); // the second answer comes from the kept encodings

        var priced = Http.put(
                server.api() + "/machines/create_asks/", host.key(), "{\"machine\": " + m + ", \"price_gpu\": 0.77}");
        assertThat(priced.status()).isEqualTo(200);
        JsonNode repriced = searchAs(someone, dsl, Set.of());
        assertThat(repriced.get(0).get("dph_base").asDouble())
                .isGreaterThan(before.get(0).get("dph_base").asDouble());

        long offer = repriced.get(0).get("id").asLong();
        var rent =
                Http.put(server.api() + "/asks/" + offer + "/", someone.key(), "{\"image\": \"ubuntu\", \"disk\": 10}");
        assertThat(rent.status()).isEqualTo(200);
        JsonNode afterRent = searchAs(someone, dsl, Set.of(m));
        assertThat(afterRent.findValuesAsText("id")).doesNotContain(Long.toString(offer));
        assertThat(afterRent)
                .allSatisfy(o -> assertThat(o.get("rented").asBoolean()).isTrue());
        // another caller's page of the same offers says they are not rented by them
        assertThat(searchAs(renter, dsl, Set.of()))
                .allSatisfy(o -> assertThat(o.get("rented").asBoolean()).isFalse());

        var unlist = Http.call("DELETE", server.api() + "/machines/" + m + "/asks/", host.key(), "{}");
        assertThat(unlist.status()).isEqualTo(200);
        assertThat(searchAs(someone, dsl, Set.of(m))).isEmpty();
    }

    /** The offers the route answers {@code who}, after checking the bytes against the generic serializer's. */
    private static JsonNode searchAs(TestServer.Account who, String dsl, Set<Long> rented) throws Exception {
        var r = Http.post(server.api() + "/bundles/", who.key(), dsl);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body())
                .as(dsl)
                .isEqualTo(Wire.mapper().writeValueAsString(Map.of("offers", expected(dsl, rented))));
        return r.json().get("offers");
    }

    private static List<Map<String, Object>> expected(String dsl) throws Exception {
        return expected(dsl, Set.of());
    }

    private static List<Map<String, Object>> expected(String dsl, Set<Long> rented) throws Exception {
        return expected(server, CLOCK.instant(), dsl, rented);
    }

    /** The offers the server's index gives for the query at {@code now}, searched in-process for {@code rented}. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> expected(TestServer server, Instant now, String dsl, Set<Long> rented)
            throws Exception {
        Map<String, Object> query = Wire.mapper().readValue(dsl, Map.class);
        return server.app()
                .market()
                .snapshot()
                .search(OfferQueryParser.parse(query), SearchContext.at(now, rented))
                .offers();
    }
}
