package io.gpumarket.core.search;

import static io.gpumarket.core.search.OfferIndexMatchesNaiveSearchTest.ids;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.core.machine.Listing;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.machine.MachineSpec;
import io.gpumarket.core.machine.Verification;
import io.gpumarket.core.offer.OfferFields;
import io.gpumarket.core.offer.OfferSlot;
import io.gpumarket.core.offer.PriceContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OfferIndexTest {
    private static final SearchContext NOW = new SearchContext(Markets.NOW, Set.of());
    private final Markets.Market market = Markets.random(3, 150);
    private final OfferIndex index = market.index();

    private static SearchResult search(OfferIndex index, String json) {
        return index.search(OfferQueryParser.parse(Json.body(json)), NOW);
    }

    private List<Long> find(String json) {
        return ids(search(index, json));
    }

    @Test
    void every_searchable_offer_field_can_be_filtered_and_sorted_on() {
        int all = find("{\"limit\": 10000}").size();
        for (OfferFields.Field f : OfferFields.all()) {
            if (!f.filterable() || f.name().equals("driver_version")) continue; // driver_version means driver_vers
            Map<String, Object> body = new HashMap<>();
            body.put(f.name(), Map.of("neq", "nothing"));
            body.put("order", List.of(List.of(f.name(), "desc")));
            body.put("limit", 10000);
            if (f.kind() == OfferFields.Kind.NUMBER) body.put(f.name(), Map.of("gte", -1e18));
            if (f.kind() == OfferFields.Kind.BOOL) body.put(f.name(), Map.of("in", List.of(true, false)));
            SearchResult r = index.search(OfferQueryParser.parse(body), NOW);
            assertThat(r.offers().size()).as(f.name()).isLessThanOrEqualTo(all);
        }
    }

    @Test
    void a_numeric_string_finds_what_the_number_finds() {
        assertThat(find("{\"num_gpus\": {\"gte\": \"2\"}, \"reliability\": {\"gt\": \"0.9\"}, \"limit\": 10000}"))
                .isEqualTo(find("{\"num_gpus\": {\"gte\": 2}, \"reliability\": {\"gt\": 0.9}, \"limit\": 10000}"))
                .isNotEmpty();
        assertThat(find("{\"num_gpus\": {\"in\": [\"1\", \"4\"]}, \"limit\": 10000}"))
                .isEqualTo(find("{\"num_gpus\": {\"in\": [1, 4.0]}, \"limit\": 10000}"))
                .isNotEmpty();
    }

    @Test
    void underscores_match_spaces_and_case_does_not_matter() {
        List<Long> spaced = find("{\"gpu_name\": {\"eq\": \"RTX 4090\"}, \"limit\": 10000}");
        assertThat(spaced).isNotEmpty();
        assertThat(find("{\"gpu_name\": {\"eq\": \"RTX_4090\"}, \"limit\": 10000}"))
                .isEqualTo(spaced);
        assertThat(find("{\"gpu_name\": {\"eq\": \"rtx_4090\"}, \"limit\": 10000}"))
                .isEqualTo(spaced);
        assertThat(find("{\"gpu_name\": {\"in\": [\"Rtx_4090\", \"nothing\"]}, \"limit\": 10000}"))
                .isEqualTo(spaced);
    }

    @Test
    void an_alias_and_its_canonical_key_must_both_hold() {
        List<Long> both = find("{\"dph\": {\"lt\": 1.0}, \"dph_total\": {\"gt\": 0.5}, \"limit\": 10000}");
        List<Long> range = find("{\"dph_total\": {\"lt\": 1.0, \"gt\": 0.5}, \"limit\": 10000}");
        assertThat(both).isEqualTo(range).isNotEmpty();
        assertThat(both).isNotEqualTo(find("{\"dph\": {\"lt\": 1.0}, \"limit\": 10000}"));
    }

    @Test
    void a_machine_offers_bundles_from_its_min_chunk_up() {
        Machine m = Markets.machine(9000, Markets.spec("H100 SXM", 8), Markets.listing(2));
        List<OfferSlot> slots = Markets.slots(m, 500_000);
        OfferIndex one = index.withMachine(m, slots);
        SearchResult r = search(one, "{\"machine_id\": {\"eq\": 9000}, \"order\": [[\"num_gpus\", \"asc\"]]}");
        assertThat(r.offers()).extracting(o -> o.get("num_gpus")).containsExactly(2, 4, 8);
        assertThat(r.offers()).extracting(o -> o.get("gpu_frac")).containsExactly(0.25, 0.5, 1.0);
        assertThat(r.offers()).extracting(o -> o.get("id")).containsExactly(500_000L, 500_001L, 500_002L);
        assertThat(r.offers()).extracting(o -> o.get("rn")).containsExactly(1, 2, 3);
        // Renting 2 of the 8 GPUs leaves 6 free: bundles of 2 and 4 under new ids.
        Machine rented = new Machine(m.id(), m.hostId(), m.spec(), m.verification(), m.reliability(), m.listing(), 6);
        OfferIndex after = one.withMachine(rented, Markets.slots(rented, 600_000));
        assertThat(search(after, "{\"machine_id\": {\"eq\": 9000}, \"order\": [[\"num_gpus\", \"asc\"]]}")
                        .offers())
                .extracting(o -> o.get("num_gpus"))
                .containsExactly(2, 4);
        assertThat(after.size()).isEqualTo(one.size() - 1);
    }

    @Test
    void a_rent_and_its_end_rewrite_the_machines_rows_in_place_sharing_every_column_they_do_not_change() {
        Machine m = Markets.machine(9000, Markets.spec("H100 SXM", 8), Markets.listing(1));
        OfferIndex listed = index.withMachine(m, Markets.slots(m, 500_000));
        Partition before = listed.chunkHolding(9000);
        Machine rented = new Machine(m.id(), m.hostId(), m.spec(), m.verification(), m.reliability(), m.listing(), 0);
        OfferIndex whole = listed.withMachine(rented, List.of());
        Partition out = whole.chunkHolding(9000);
        assertThat(whole.size()).isEqualTo(listed.size() - 4);
        assertThat(out.rowCount()).isEqualTo(before.rowCount());
        assertThat(out.offers()).isEqualTo(before.offers() - 4);
        // Nothing of the machine but its offers changed: every column is the old partition's own array.
        assertThat(out.machineIds).isSameAs(before.machineIds);
        for (int c = 0; c < before.machineNumbers.length; c++)
            assertThat(out.machineNumbers[c]).isSameAs(before.machineNumbers[c]);
        for (int c = 0; c < before.offerNumbers.length; c++)
            assertThat(out.offerNumbers[c]).isSameAs(before.offerNumbers[c]);
        assertThat(search(whole, "{\"machine_id\": {\"eq\": 9000}}").offers()).isEmpty();

        // Given back, it offers all four bundles again under new ids, in the same rows.
        Machine back = rented.withReliability(0.5);
        back = new Machine(back.id(), back.hostId(), back.spec(), back.verification(), 0.5, back.listing(), 8);
        OfferIndex again = whole.withMachine(back, Markets.slots(back, 600_000));
        Partition in = again.chunkHolding(9000);
        assertThat(in.rowCount()).isEqualTo(before.rowCount());
        assertThat(again.size()).isEqualTo(listed.size());
        int shared = 0;
        for (int c = 0; c < before.machineNumbers.length; c++)
            shared += in.machineNumbers[c] == before.machineNumbers[c] ? 1 : 0;
        assertThat(shared).isEqualTo(before.machineNumbers.length - 1); // the reliability column alone
        assertThat(search(again, "{\"machine_id\": {\"eq\": 9000}, \"order\": [[\"num_gpus\", \"asc\"]]}")
                        .offers())
                .extracting(o -> o.get("id"))
                .containsExactly(600_000L, 600_001L, 600_002L, 600_003L);
        assertThat(search(listed, "{\"machine_id\": {\"eq\": 9000}}").offers())
                .extracting(o -> o.get("id"))
                .as("the index before the rent still answers as it did")
                .contains(500_000L);
    }

    @Test
    void incremental_updates_give_the_same_answers_as_a_full_rebuild() {
        Random r = new Random(11);
        Map<Long, Machine> machines = new HashMap<>();
        Map<Long, List<OfferSlot>> slots = new HashMap<>();
        for (Machine m : market.machines()) machines.put(m.id(), m);
        for (OfferSlot s : market.slots())
            slots.computeIfAbsent(s.machineId(), k -> new ArrayList<>()).add(s);
        OfferIndex incremental = index;
        long nextSlot = 1_000_000;
        for (int step = 0; step < 400; step++) {
            long id = 1 + r.nextInt(500);
            if (r.nextInt(5) == 0) {
                machines.remove(id);
                slots.remove(id);
                incremental = incremental.withoutMachine(id);
            } else {
                Machine m = Markets.randomMachine(r, id); // may change GPU, listing, hardware, strings
                List<OfferSlot> ms = Markets.slots(m, nextSlot);
                nextSlot += ms.size();
                machines.put(id, m);
                slots.put(id, ms);
                incremental = incremental.withMachine(m, ms);
            }
            if (step % 40 != 39) continue;
            OfferIndex rebuilt = OfferIndex.build(
                    Markets.CATALOG,
                    machines.values(),
                    slots.values().stream().flatMap(List::stream).toList());
            assertThat(incremental.size()).isEqualTo(rebuilt.size());
            RandomQueries queries = new RandomQueries(step);
            Markets.Market now = new Markets.Market(
                    List.copyOf(machines.values()),
                    slots.values().stream().flatMap(List::stream).toList());
            for (int q = 0; q < 50; q++) {
                Map<String, Object> body = queries.next(pricing -> List.of(sampleOffer(now, r)));
                body.put("explain", true);
                OfferQuery query = OfferQueryParser.parse(body);
                SearchResult a = incremental.search(query, NOW);
                SearchResult b = rebuilt.search(query, NOW);
                assertThat(a.offers()).as(body.toString()).isEqualTo(b.offers());
                assertThat(a.explain()).as(body.toString()).isEqualTo(b.explain());
            }
        }
    }

    private static Map<String, Object> sampleOffer(Markets.Market m, Random r) {
        var offers = m.offers();
        return offers.isEmpty()
                ? Map.of()
                : OfferFields.render(offers.get(r.nextInt(offers.size())), PriceContext.onDemand(Markets.NOW));
    }

    @Test
    void a_machine_whose_text_keeps_changing_is_found_by_its_latest_text_only() {
        // Each update adds dictionary entries that later go unused, until the partition compacts them.
        MachineSpec base = Markets.spec("Tesla P100", 2);
        OfferIndex churned = index;
        for (int i = 0; i < 60; i++) {
            MachineSpec spec = new MachineSpec(
                    base.gpuName(),
                    2,
                    base.gpuRamMb(),
                    base.gpuArch(),
                    0,
                    base.cudaMaxGood(),
                    base.driverVersion(),
                    base.pcieBw(),
                    base.pciGen(),
                    base.gpuLanes(),
                    base.gpuMaxPower(),
                    base.gpuMaxTemp(),
                    base.bwNvlink(),
                    false,
                    "CPU_" + i,
                    null,
                    8,
                    3.0,
                    65536,
                    true,
                    500,
                    1000,
                    null,
                    100,
                    100,
                    null,
                    null,
                    "10.0.0." + i,
                    "Churn_" + i,
                    -1,
                    -1,
                    "Lyon, FR",
                    false,
                    false,
                    false);
            Machine m = Markets.machine(9100 + i % 2, spec, Markets.listing(1));
            churned = churned.withMachine(m, Markets.slots(m, 950_000 + 10L * i));
            if (i > 0) { // both machines are found by their latest hostnames after every update
                assertThat(ids(search(
                                churned, "{\"hostname\": {\"in\": [\"churn_" + i + "\", \"churn_" + (i - 1) + "\"]}}")))
                        .hasSize(4);
            }
        }
        assertThat(ids(search(churned, "{\"hostname\": {\"eq\": \"churn 59\"}}")))
                .containsExactly(950_590L, 950_591L);
        assertThat(ids(search(churned, "{\"hostname\": {\"eq\": \"churn_58\"}}")))
                .containsExactly(950_580L, 950_581L);
        assertThat(ids(search(churned, "{\"hostname\": {\"eq\": \"churn_3\"}}")))
                .isEmpty();
        assertThat(
                        ids(
                                search(
                                        churned,
                                        "{\"gpu_name\": {\"eq\": \"tesla p100\"}, \"order\": [[\"cpu_name\", \"desc\"]], \"limit\": 2}")))
                .containsExactly(950_590L, 950_591L);
        assertThat(search(churned, "{\"machine_id\": {\"eq\": 9100}}").offers())
                .extracting(o -> o.get("hostname"))
                .containsOnly("Churn_58");
    }

    @Test
    void a_slot_that_no_longer_fits_its_machine_is_left_out() {
        Machine shrunk = Markets.machine(9003, Markets.spec("L40S", 2), Markets.listing(1));
        List<OfferSlot> stale = List.of(new OfferSlot(990_000, 9003, 1), new OfferSlot(990_001, 9003, 4));
        assertThat(ids(search(index.withMachine(shrunk, stale), "{\"machine_id\": {\"eq\": 9003}}")))
                .containsExactly(990_000L);
        OfferIndex built = OfferIndex.build(Markets.CATALOG, List.of(shrunk), stale);
        assertThat(built.size()).isEqualTo(1);
    }

    @Test
    void removing_every_machine_leaves_an_empty_index() {
        OfferIndex empty = index;
        for (Machine m : market.machines()) empty = empty.withoutMachine(m.id());
        assertThat(empty.size()).isZero();
        assertThat(search(empty, "{}").offers()).isEmpty();
        assertThat(empty.withoutMachine(12345)).isSameAs(empty);
    }

    @Test
    void unlisting_a_machine_removes_its_offers() {
        Machine m = Markets.machine(9000, Markets.spec("L4", 4), Markets.listing(1));
        OfferIndex listed = index.withMachine(m, Markets.slots(m, 700_000));
        assertThat(listed.size()).isEqualTo(index.size() + 3);
        assertThat(listed.withMachine(m.withListing(null), Markets.slots(m, 700_000))
                        .size())
                .isEqualTo(index.size());
        assertThat(listed.withMachine(m, List.of()).size()).isEqualTo(index.size());
    }

    @Test
    void explain_counts_add_up() {
        SearchResult r = search(
                index,
                "{\"verified\": {\"eq\": true}, \"num_gpus\": {\"gte\": 2}, \"gpu_name\": {\"in\": [\"RTX 4090\", \"H100 SXM\"]}, "
                        + "\"geolocation\": {\"notin\": [\"CN\"]}, \"explain\": true, \"limit\": 3}");
        Explain e = r.explain();
        assertThat(e.considered()).isEqualTo(index.size());
        assertThat(e.steps())
                .extracting(Explain.Step::key)
                .containsExactly("verified", "num_gpus", "gpu_name", "geolocation", "allocated_storage");
        int eliminated = e.steps().stream().mapToInt(Explain.Step::eliminated).sum();
        assertThat(e.considered() - eliminated).isEqualTo(e.matched());
        for (Explain.Step s : e.steps()) assertThat(s.failingAlone()).isGreaterThanOrEqualTo(s.eliminated());
        assertThat(e.steps().get(0).eliminated()).isEqualTo(e.steps().get(0).failingAlone());
        assertThat(e.matched()).isGreaterThan(3);
        assertThat(r.offers()).hasSize(3);
        assertThat(e.matched())
                .isEqualTo(find("{\"verified\": {\"eq\": true}, \"num_gpus\": {\"gte\": 2}, "
                                + "\"gpu_name\": {\"in\": [\"RTX 4090\", \"H100 SXM\"]}, \"geolocation\": {\"notin\": [\"CN\"]}, \"limit\": 10000}")
                        .size());
    }

    @Test
    void eq_null_finds_only_missing_values_and_never_a_column_that_is_always_set() {
        List<Long> noHostname = find("{\"hostname\": {\"eq\": null}, \"limit\": 10000}");
        List<Long> hostname = find("{\"hostname\": {\"neq\": null}, \"limit\": 10000}");
        assertThat(noHostname).isNotEmpty();
        assertThat(hostname).isNotEmpty().doesNotContainAnyElementsOf(noHostname);
        assertThat(noHostname.size() + hostname.size())
                .isEqualTo(find("{\"limit\": 10000}").size());
        assertThat(find("{\"vms_enabled\": {\"eq\": null}}")).isEmpty();
        assertThat(find("{\"num_gpus\": {\"neq\": null}, \"limit\": 10000}")).isEqualTo(find("{\"limit\": 10000}"));
        assertThat(find("{\"hostname\": {\"neq\": \"host-1\"}, \"limit\": 10000}"))
                .doesNotContainAnyElementsOf(noHostname);
    }

    @Test
    void two_letters_match_the_country_and_longer_text_the_whole_location() {
        SearchResult us = search(index, "{\"geolocation\": {\"eq\": \"us\"}, \"limit\": 10000}");
        assertThat(us.offers())
                .isNotEmpty()
                .allSatisfy(o -> assertThat((String) o.get("geolocation")).endsWith(", US"));
        SearchResult austin = search(index, "{\"geolocation\": {\"eq\": \"Austin, US\"}, \"limit\": 10000}");
        assertThat(austin.offers())
                .isNotEmpty()
                .allSatisfy(o -> assertThat(o.get("geolocation")).isEqualTo("Austin, US"));
        assertThat(austin.offers().size()).isLessThan(us.offers().size());
        assertThat(search(index, "{\"geolocation\": {\"notin\": [\"US\", \"CN\"]}, \"limit\": 10000}")
                        .offers())
                .isNotEmpty()
                .allSatisfy(o -> assertThat((String) o.get("geolocation"))
                        .doesNotEndWith("US")
                        .doesNotEndWith("CN"));
    }

    @Test
    void verified_and_datacenter_are_booleans_over_the_codes() {
        assertThat(search(index, "{\"verified\": {\"eq\": true}, \"limit\": 10000}")
                        .offers())
                .isNotEmpty()
                .allSatisfy(o -> assertThat(o.get("verification")).isEqualTo("verified"));
        assertThat(search(index, "{\"verified\": {\"eq\": false}, \"limit\": 10000}")
                        .offers())
                .isNotEmpty()
                .allSatisfy(o -> assertThat(o.get("vericode")).isEqualTo(0));
        assertThat(search(index, "{\"datacenter\": {\"eq\": \"true\"}, \"limit\": 10000}")
                        .offers())
                .isNotEmpty()
                .allSatisfy(o -> assertThat(o.get("hosting_type")).isEqualTo(1));
    }

    @Test
    void pages_are_limited_sorted_and_ties_break_by_id() {
        SearchResult r = search(index, "{\"order\": [[\"num_gpus\", \"desc\"]], \"limit\": 40}");
        assertThat(r.offers()).hasSize(40);
        for (int i = 1; i < 40; i++) {
            Map<String, Object> a = r.offers().get(i - 1);
            Map<String, Object> b = r.offers().get(i);
            int na = (int) a.get("num_gpus");
            int nb = (int) b.get("num_gpus");
            assertThat(na).isGreaterThanOrEqualTo(nb);
            if (na == nb) assertThat((long) a.get("id")).isLessThan((long) b.get("id"));
        }
    }

    @Test
    void the_default_order_is_best_score_first() {
        List<Map<String, Object>> offers = search(index, "{\"limit\": 50}").offers();
        for (int i = 1; i < offers.size(); i++) {
            assertThat((double) offers.get(i - 1).get("score"))
                    .isGreaterThanOrEqualTo((double) offers.get(i).get("score"));
        }
    }

    @Test
    void storage_is_priced_in_and_required_as_disk_space() {
        SearchResult r = search(index, "{\"allocated_storage\": 30, \"limit\": 10000}");
        assertThat(r.offers()).isNotEmpty().allSatisfy(o -> {
            assertThat((double) o.get("disk_space")).isGreaterThanOrEqualTo(30.0);
            assertThat((double) o.get("storage_total_cost")).isEqualTo((double) o.get("storage_cost") * 30 / 720);
        });
        assertThat(r.offers().size())
                .isLessThan(find("{\"allocated_storage\": 0, \"limit\": 10000}").size());
    }

    @Test
    void an_expired_listing_stays_in_the_index_but_is_not_rentable() {
        MachineSpec spec = Markets.spec("T4", 1);
        Machine expired = Markets.machine(9001, spec, new Listing(100_000, 0, 0, 0, 0, 1, Markets.NOW - 1, 0));
        OfferIndex with = index.withMachine(expired, Markets.slots(expired, 800_000));
        assertThat(ids(search(with, "{\"machine_id\": {\"eq\": 9001}}"))).containsExactly(800_000L);
        assertThat(ids(search(with, "{\"machine_id\": {\"eq\": 9001}, \"rentable\": {\"eq\": true}}")))
                .isEmpty();
        assertThat(search(with, "{\"machine_id\": {\"eq\": 9001}}").offers().get(0))
                .containsEntry("rentable", false);
    }

    @Test
    void rented_marks_the_machines_the_caller_already_rents_on() {
        long machine = market.slots().get(0).machineId();
        SearchContext renter = new SearchContext(Markets.NOW, Set.of(machine));
        OfferQuery notRented = OfferQueryParser.parse(Json.body("{\"rented\": {\"eq\": false}, \"limit\": 10000}"));
        assertThat(index.search(notRented, renter).offers())
                .noneMatch(o -> o.get("machine_id").equals(machine));
        assertThat(index.search(notRented, NOW).offers())
                .anyMatch(o -> o.get("machine_id").equals(machine));
    }

    @Test
    void a_bid_search_filters_and_sorts_by_minimum_bids() {
        SearchResult r = search(
                index,
                "{\"type\": \"bid\", \"dph_base\": {\"lt\": 0.5}, \"order\": [[\"dph_base\", \"asc\"]], \"limit\": 10000}");
        assertThat(r.offers()).isNotEmpty().allSatisfy(o -> {
            assertThat(o.get("is_bid")).isEqualTo(true);
            assertThat(o.get("dph_base")).isEqualTo(o.get("min_bid"));
            assertThat((double) o.get("dph_base")).isLessThan(0.5);
        });
    }

    @Test
    void unverified_machines_can_be_found_by_verification_text() {
        Machine m = Markets.machine(9002, Markets.spec("A40", 1), Markets.listing(1))
                .withVerification(Verification.DEVERIFIED);
        OfferIndex with = index.withMachine(m, Markets.slots(m, 900_000));
        assertThat(ids(search(with, "{\"verification\": {\"eq\": \"DEVERIFIED\"}, \"gpu_name\": {\"eq\": \"a40\"}}")))
                .containsExactly(900_000L);
    }
}
