package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

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

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> expected(String dsl) throws Exception {
        Map<String, Object> query = Wire.mapper().readValue(dsl, Map.class);
        return server.app()
                .market()
                .snapshot()
                .search(OfferQueryParser.parse(query), SearchContext.at(CLOCK.instant(), Set.of()))
                .offers();
    }
}
