package io.gpumarket.core.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.offer.OfferFields;
import io.gpumarket.core.offer.OfferSlot;
import io.gpumarket.core.offer.OfferView;
import io.gpumarket.core.offer.PriceContext;
import io.gpumarket.core.offer.PriceType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
    private static final int UPDATED_MARKETS = 5;
    private static final int UPDATED_QUERIES = 120;

    @Test
    void index_finds_the_same_offers_in_the_same_order_as_a_naive_scan() {
        int cases = 0;
        int nonEmpty = 0;
        for (long seed = 1; seed <= MARKETS; seed++) {
            Random r = new Random(seed * 7919);
            Markets.Market market = Markets.random(seed, 20 + r.nextInt(150));
            // Half the markets cut each model into chunks of a few machines, so a search spans many chunks of a model.
            OfferIndex index = seed % 2 == 0
                    ? market.index()
                    : OfferIndex.build(Markets.CATALOG, market.machines(), market.slots(), 1 + (int) (seed % 7));
            List<OfferView> views = market.offers();
            assertThat(index.size()).isEqualTo(views.size());
            RandomQueries queries = new RandomQueries(seed);
            for (int q = 0; q < QUERIES_PER_MARKET; q++) {
                long now = Markets.NOW + r.nextInt(40) * 86_400L - 86_400L;
                Set<Long> rented = new HashSet<>();
                for (Machine m : market.machines()) if (r.nextInt(8) == 0) rented.add(m.id());
                Map<String, Object> body = queries.next(pricing -> render(views, pricing, now, rented));
                boolean found = check(market, index, body, now, rented, "seed " + seed + " query " + q);
                cases++;
                if (found) nonEmpty++;
            }
        }
        assertThat(cases).isEqualTo(MARKETS * QUERIES_PER_MARKET);
        // The generator must produce queries that find something, or the comparison proves little.
        assertThat(nonEmpty).isGreaterThan(cases / 4);
    }

    /**
     * The shortcuts on larger markets (bounds that decide whole partitions, walks in price order that stop
     * once the page is settled, num_gpus-first orders that stop after a size), with the index built the way
     * the server builds it: a snapshot, then machine after machine added, replaced (moving between GPU models,
     * prices, reliability) and removed. Some models report one memory size, so gpu_ram decides their
     * partitions; prices repeat, so sort keys tie and ids decide.
     */
    @Test
    void shortcuts_on_an_updated_index_find_what_a_naive_scan_finds() {
        int cases = 0;
        int nonEmpty = 0;
        for (long seed = 1; seed <= UPDATED_MARKETS; seed++) {
            Random r = new Random(seed * 104_729);
            Map<Long, Machine> machines = new LinkedHashMap<>();
            Map<Long, List<OfferSlot>> slots = new LinkedHashMap<>();
            long[] nextSlot = {5_000_000};
            List<Machine> all =
                    Markets.random(1000 + seed, 600 + r.nextInt(1400)).machines();
            // Half the markets have only a few models, so that a size group holds many batches of a walk.
            String[] few = seed % 2 == 0 ? null : new String[] {"RTX 4090", "H100 SXM", "RTX 3060"};
            OfferIndex index = null;
            for (Machine m : all) {
                Machine machine = few == null
                        ? m
                        : Markets.withGpu(
                                m, few[r.nextInt(few.length)], m.spec().gpuRamMb());
                if (Math.floorMod(machine.spec().gpuName().hashCode(), 3) > 0)
                    machine = Markets.withModelMemory(machine);
                machines.put(machine.id(), machine);
                slots.put(machine.id(), Markets.slots(machine, nextSlot[0]));
                nextSlot[0] += 10;
                if (machines.size() == all.size() / 3) {
                    // Small chunks on half the markets: the updates below split chunks, empty them and move machines
                    // between models' chunks.
                    index = OfferIndex.build(
                            Markets.CATALOG,
                            machines.values(),
                            slots.values().stream().flatMap(List::stream).toList(),
                            seed % 2 == 0 ? OfferIndex.DEFAULT_CHUNK : 4 + (int) seed);
                } else if (index != null) {
                    index = index.withMachine(machine, slots.get(machine.id()));
                }
            }
            List<Long> ids = new ArrayList<>(machines.keySet());
            for (int step = 0; step < 300; step++) {
                long id = ids.get(r.nextInt(ids.size()));
                Machine m = machines.get(id);
                if (m == null || r.nextInt(6) == 0) {
                    machines.remove(id);
                    slots.remove(id);
                    index = index.withoutMachine(id);
                    continue;
                }
                Machine next = switch (r.nextInt(6)) {
                    case 0 -> m.withReliability(Math.round(r.nextDouble() * 1000) / 1000.0);
                    case 1 -> Markets.withModelMemory(Markets.randomMachine(r, id)); // another model, maybe
                    case 2 -> Markets.randomMachine(r, id);
                    // Rented (some or all of its GPUs) or given back: its offers fit rows it has (in place).
                    case 3 -> withFree(m, r.nextInt(m.spec().numGpus() + 1));
                    case 4 -> withFree(m, m.spec().numGpus());
                    default -> m.listed() ? m.withListing(Markets.listing(1 + r.nextInt(2))) : m.withListing(null);
                };
                machines.put(id, next);
                slots.put(id, Markets.slots(next, nextSlot[0]));
                nextSlot[0] += 10;
                index = index.withMachine(next, slots.get(id));
            }
            Markets.Market market = new Markets.Market(
                    List.copyOf(machines.values()),
                    slots.values().stream().flatMap(List::stream).toList());
            List<OfferView> views = market.offers();
            assertThat(index.size()).isEqualTo(views.size());
            if (seed % 2 == 1)
                assertThat(index.chunks()).isGreaterThanOrEqualTo(machines.size() / (4 * (4 + (int) seed)));
            RandomQueries queries = new RandomQueries(seed + 500);
            for (int q = 0; q < UPDATED_QUERIES; q++) {
                long now = Markets.NOW + r.nextInt(40) * 86_400L - 86_400L;
                Set<Long> rented = r.nextBoolean() ? Set.of() : Set.of(ids.get(r.nextInt(ids.size())));
                Map<String, Object> body = q % 4 == 0
                        ? queries.next(pricing -> render(views, pricing, now, rented))
                        : queries.nextRanked(pricing -> render(views, pricing, now, rented));
                if (check(market, index, body, now, rented, "updated market " + seed + " query " + q)) nonEmpty++;
                cases++;
            }
        }
        assertThat(nonEmpty).isGreaterThan(cases / 2);
    }

    private static Machine withFree(Machine m, int free) {
        return new Machine(m.id(), m.hostId(), m.spec(), m.verification(), m.reliability(), m.listing(), free);
    }

    /** Searches the index and the naive reference; true when the page is not empty. */
    private static boolean check(
            Markets.Market market,
            OfferIndex index,
            Map<String, Object> body,
            long now,
            Set<Long> rented,
            String where) {
        NaiveSearch.Outcome expected = NaiveSearch.run(market, body, now, rented);
        OfferQuery query = OfferQueryParser.parse(body);
        SearchResult actual = index.search(query, new SearchContext(now, rented));
        String why = where + ": " + body;
        assertThat(ids(actual)).as(why).isEqualTo(expected.ids());
        if (query.explain()) {
            Explain e = actual.explain();
            assertThat(e.considered()).as(why).isEqualTo(expected.considered());
            assertThat(e.matched()).as(why).isEqualTo(expected.matched());
            assertThat(e.steps()).as(why).hasSize(expected.counts().size());
            for (int i = 0; i < e.steps().size(); i++) {
                assertThat(new int[] {
                            e.steps().get(i).eliminated(), e.steps().get(i).failingAlone()
                        })
                        .as(why + " step " + i)
                        .containsExactly(expected.counts().get(i));
            }
        } else {
            assertThat(actual.explain()).isNull();
        }
        return !expected.ids().isEmpty();
    }

    private static List<Map<String, Object>> render(
            List<OfferView> views, Map<String, Object> pricing, long now, Set<Long> rented) {
        PriceType type =
                pricing.get("type") instanceof String s ? PriceType.fromWire(s).orElseThrow() : PriceType.ON_DEMAND;
        Object gb = pricing.get("allocated_storage");
        double storage = gb == null ? 8.0 : gb instanceof Number n ? n.doubleValue() : Double.parseDouble((String) gb);
        PriceContext ctx = new PriceContext(type, storage, now, rented);
        List<Map<String, Object>> out = new ArrayList<>();
        for (OfferView v : views) out.add(OfferFields.render(v, ctx));
        return out;
    }

    static List<Long> ids(SearchResult result) {
        return result.offers().stream()
                .map(m -> ((Number) m.get("id")).longValue())
                .toList();
    }
}
