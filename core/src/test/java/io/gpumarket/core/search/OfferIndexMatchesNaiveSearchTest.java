package io.gpumarket.core.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.offer.OfferFields;
import io.gpumarket.core.offer.OfferView;
import io.gpumarket.core.offer.PriceContext;
import io.gpumarket.core.offer.PriceType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The index must find exactly what a naive scan over the rendered offers finds, in the same order, for any
 * query a client can send: thousands of seeded random markets and bodies.
 */
class OfferIndexMatchesNaiveSearchTest {
    private static final int MARKETS = 40;
    private static final int QUERIES_PER_MARKET = 100;

    @Test
    void index_finds_the_same_offers_in_the_same_order_as_a_naive_scan() {
        int cases = 0;
        int nonEmpty = 0;
        for (long seed = 1; seed <= MARKETS; seed++) {
            Random r = new Random(seed * 7919);
            Markets.Market market = Markets.random(seed, 20 + r.nextInt(150));
            OfferIndex index = market.index();
            List<OfferView> views = market.offers();
            assertThat(index.size()).isEqualTo(views.size());
            RandomQueries queries = new RandomQueries(seed);
            for (int q = 0; q < QUERIES_PER_MARKET; q++) {
                long now = Markets.NOW + r.nextInt(40) * 86_400L - 86_400L;
                Set<Long> rented = new HashSet<>();
                for (Machine m : market.machines()) if (r.nextInt(8) == 0) rented.add(m.id());
                Map<String, Object> body = queries.next(pricing -> render(views, pricing, now, rented));

                NaiveSearch.Outcome expected = NaiveSearch.run(market, body, now, rented);
                OfferQuery query = OfferQueryParser.parse(body);
                SearchResult actual = index.search(query, new SearchContext(now, rented));

                String why = "seed " + seed + " query " + q + ": " + body;
                assertThat(ids(actual)).as(why).isEqualTo(expected.ids());
                if (query.explain()) {
                    Explain e = actual.explain();
                    assertThat(e.considered()).as(why).isEqualTo(expected.considered());
                    assertThat(e.matched()).as(why).isEqualTo(expected.matched());
                    assertThat(e.steps()).as(why).hasSize(expected.counts().size());
                    for (int i = 0; i < e.steps().size(); i++) {
                        assertThat(new int[] {e.steps().get(i).eliminated(), e.steps().get(i).failingAlone()})
                                .as(why + " step " + i).containsExactly(expected.counts().get(i));
                    }
                } else {
                    assertThat(actual.explain()).isNull();
                }
                cases++;
                if (!expected.ids().isEmpty()) nonEmpty++;
            }
        }
        assertThat(cases).isEqualTo(MARKETS * QUERIES_PER_MARKET);
        // The generator must produce queries that find something, or the comparison proves little.
        assertThat(nonEmpty).isGreaterThan(cases / 4);
    }

    private static List<Map<String, Object>> render(List<OfferView> views, Map<String, Object> pricing, long now, Set<Long> rented) {
        PriceType type = pricing.get("type") instanceof String s ? PriceType.fromWire(s).orElseThrow() : PriceType.ON_DEMAND;
        Object gb = pricing.get("allocated_storage");
        double storage = gb == null ? 8.0 : gb instanceof Number n ? n.doubleValue() : Double.parseDouble((String) gb);
        PriceContext ctx = new PriceContext(type, storage, now, rented);
        List<Map<String, Object>> out = new ArrayList<>();
        for (OfferView v : views) out.add(OfferFields.render(v, ctx));
        return out;
    }

    static List<Long> ids(SearchResult result) {
        return result.offers().stream().map(m -> ((Number) m.get("id")).longValue()).toList();
    }
}
