package io.gpumarket.core.offer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpumarket.core.machine.DriverVersion;
import io.gpumarket.core.machine.Listing;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.machine.MachineSpec;
import io.gpumarket.core.offer.OfferFields.Field;
import io.gpumarket.core.search.Markets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OfferFieldsTest {
    private static final long NOW = Markets.NOW;

    private static OfferView offer(Machine m, int gpus) {
        return new OfferView(
                m,
                new OfferSlot(77, m.id(), gpus),
                Markets.CATALOG.model(m.spec().gpuName()));
    }

    private static Map<String, Object> render(OfferView o, PriceType type, double storageGb) {
        return OfferFields.render(o, new PriceContext(type, storageGb, NOW, Set.of()));
    }

    @Test
    void every_field_renders_as_its_declared_kind_and_only_nullable_fields_are_null() {
        for (long seed = 1; seed <= 20; seed++) {
            for (OfferView o : Markets.random(seed, 60).offers()) {
                for (PriceType type : PriceType.values()) {
                    Map<String, Object> json = render(o, type, seed % 3 * 7.5);
                    assertThat(json.keySet())
                            .containsExactlyElementsOf(
                                    OfferFields.all().stream().map(Field::name).toList());
                    for (Field f : OfferFields.all()) {
                        Object v = json.get(f.name());
                        if (v == null) {
                            assertThat(f.nullable()).as(f.name() + " is null").isTrue();
                            continue;
                        }
                        switch (f.kind()) {
                            case NUMBER ->
                                assertThat(v).as(f.name()).isInstanceOfAny(Integer.class, Long.class, Double.class);
                            case STRING -> assertThat(v).as(f.name()).isInstanceOf(String.class);
                            case BOOL -> assertThat(v).as(f.name()).isInstanceOf(Boolean.class);
                            case OBJECT -> assertThat(v).as(f.name()).isInstanceOfAny(Map.class, List.class);
                        }
                    }
                }
            }
        }
    }

    @Test
    void no_rendered_number_is_nan_or_infinite_even_for_free_offers() {
        Machine free = Markets.machine(1, Markets.spec("RTX 4090", 1), new Listing(0, 0, 0, 0, 0, 1, NOW + 86_400, 0));
        Machine radeon =
                Markets.machine(2, Markets.spec("Radeon VII", 2), new Listing(0, 0, 0, 0, 0, 1, NOW + 86_400, 0));
        List<OfferView> offers = new ArrayList<>(List.of(offer(free, 1), offer(radeon, 2)));
        for (long seed = 1; seed <= 10; seed++)
            offers.addAll(Markets.random(seed, 50).offers());
        for (OfferView o : offers) {
            for (PriceType type : PriceType.values()) {
                assertFinite(render(o, type, 0), o);
                assertFinite(render(o, type, 8), o);
            }
        }
        Map<String, Object> json = render(offer(free, 1), PriceType.ON_DEMAND, 0);
        assertThat((double) json.get("dlperf_per_dphtotal")).isEqualTo(62.0 / OfferPricing.MIN_DPH);
    }

    private static void assertFinite(Map<?, ?> json, OfferView o) {
        json.forEach((k, v) -> {
            if (v instanceof Double d)
                assertThat(Double.isFinite(d)).as(k + " of offer " + o).isTrue();
            if (v instanceof Map<?, ?> m) assertFinite(m, o);
        });
    }

    @Test
    void a_bundle_gets_its_share_of_the_machine() {
        MachineSpec spec = Markets.spec("A100 SXM4", 8);
        Machine m = Markets.machine(5, spec, Markets.listing(2));
        Map<String, Object> json = render(offer(m, 2), PriceType.ON_DEMAND, 8);
        assertThat(json.get("num_gpus")).isEqualTo(2);
        assertThat(json.get("gpu_frac")).isEqualTo(0.25);
        assertThat(json.get("cpu_cores")).isEqualTo(32);
        assertThat(json.get("cpu_cores_effective")).isEqualTo(8.0);
        assertThat(json.get("cpu_ram")).isEqualTo(131072L / 4);
        assertThat(json.get("disk_space")).isEqualTo(250.0);
        assertThat(json.get("direct_port_count")).isEqualTo(25); // 100 ports / 4
        assertThat(json.get("gpu_ram")).isEqualTo(24564);
        assertThat(json.get("gpu_total_ram")).isEqualTo(2L * 24564);
        assertThat(json.get("gpu_ids")).isEqualTo(List.of(0, 1));
    }

    @Test
    void integer_shares_round_down() {
        MachineSpec spec = Markets.spec("RTX 3090", 3);
        Machine m = Markets.machine(5, spec, Markets.listing(1));
        Map<String, Object> json = render(offer(m, 1), PriceType.ON_DEMAND, 8);
        assertThat(json.get("cpu_ram")).isEqualTo(131072L / 3);
        assertThat(json.get("direct_port_count")).isEqualTo(33);
        assertThat((double) json.get("cpu_cores_effective")).isCloseTo(32 / 3.0, within(1e-12));
    }

    @Test
    void on_demand_prices_follow_the_documented_formulas() {
        Machine m = Markets.machine(5, Markets.spec("RTX 4090", 4), Markets.listing(1));
        Map<String, Object> json = render(offer(m, 2), PriceType.ON_DEMAND, 10);
        assertThat(json.get("dph_base")).isEqualTo(0.8);
        assertThat(json.get("storage_cost")).isEqualTo(0.15);
        assertThat((double) json.get("storage_total_cost")).isCloseTo(0.15 * 10 / 720, within(1e-15));
        double total = 0.8 + 0.15 * 10 / 720;
        assertThat((double) json.get("dph_total")).isCloseTo(total, within(1e-12));
        assertThat(json.get("dph_total_adj")).isEqualTo(json.get("dph_total"));
        assertThat((double) json.get("vram_costperhour")).isCloseTo(total / 24564, within(1e-15));
        assertThat(json.get("min_bid")).isEqualTo(0.4);
        assertThat(json.get("is_bid")).isEqualTo(false);
        assertThat(json.get("inet_up_cost")).isEqualTo(0.01);
        assertThat((double) json.get("internet_down_cost_per_tb")).isCloseTo(10.24, within(1e-12));
        assertThat(json.get("credit_discount_max")).isEqualTo(0.1);
        assertThat(json.get("discount_rate")).isEqualTo(0.1);
        assertThat((double) json.get("discounted_hourly")).isCloseTo(0.72, within(1e-12));
        assertThat((double) json.get("discounted_dph_total")).isCloseTo(0.72 + 0.15 * 10 / 720, within(1e-12));
        double dlperf = Markets.CATALOG.model("RTX 4090").dlperf(2);
        assertThat(json.get("dlperf")).isEqualTo(dlperf);
        assertThat((double) json.get("dlperf_per_dphtotal")).isCloseTo(dlperf / total, within(1e-9));
        assertThat((double) json.get("total_flops")).isCloseTo(82.6 * 2, within(1e-9));
        assertThat((double) json.get("flops_per_dphtotal")).isCloseTo(82.6 * 2 / total, within(1e-9));
        assertThat((double) json.get("score")).isCloseTo(dlperf / total * 0.995, within(1e-9));
        @SuppressWarnings("unchecked")
        Map<String, Object> search = (Map<String, Object>) json.get("search");
        assertThat(search)
                .containsOnlyKeys(
                        "gpuCostPerHour", "diskHour", "totalHour", "discountTotalHour", "discountedTotalPerHour");
        assertThat(search.get("gpuCostPerHour")).isEqualTo(0.8);
        assertThat(search.get("totalHour")).isEqualTo(json.get("dph_total"));
        assertThat((double) search.get("discountTotalHour")).isCloseTo(0.08, within(1e-12));
        assertThat(search.get("discountedTotalPerHour")).isEqualTo(json.get("discounted_dph_total"));
        assertThat(json.get("instance")).isEqualTo(search);
    }

    @Test
    void a_bid_search_prices_the_bundle_at_its_minimum_bid() {
        Machine m = Markets.machine(5, Markets.spec("RTX 4090", 4), Markets.listing(1));
        Map<String, Object> json = render(offer(m, 4), PriceType.BID, 0);
        assertThat(json.get("dph_base")).isEqualTo(0.8);
        assertThat(json.get("dph_total")).isEqualTo(0.8);
        assertThat(json.get("is_bid")).isEqualTo(true);
        assertThat(render(offer(m, 4), PriceType.RESERVED, 0).get("dph_base")).isEqualTo(1.6);
    }

    @Test
    void ids_reliabilities_and_codes_repeat_what_they_are_defined_as() {
        Machine m = Markets.machine(5, Markets.spec("RTX 4090", 1), Markets.listing(1));
        Map<String, Object> json = render(offer(m, 1), PriceType.ON_DEMAND, 8);
        assertThat(json)
                .containsEntry("id", 77L)
                .containsEntry("ask_contract_id", 77L)
                .containsEntry("bundle_id", 77L)
                .containsEntry("machine_id", 5L)
                .containsEntry("host_id", 1005L)
                .containsEntry("reliability", 0.995)
                .containsEntry("reliability2", 0.995)
                .containsEntry("expected_reliability", 0.995)
                .containsEntry("reliability_mult", 1.0)
                .containsEntry("verification", "verified")
                .containsEntry("vericode", 1)
                .containsEntry("external", false)
                .containsEntry("hosting_type", 0)
                .containsEntry("driver_version", "550.54.15")
                .containsEntry("driver_vers", 550054015L)
                .containsEntry("has_avx", 1)
                .containsEntry("resource_type", "gpu")
                .containsEntry("geolocation", "Oslo, NO")
                .containsEntry("geolocode", ('N' << 8) | 'O')
                .containsEntry("compute_cap", 890)
                .containsEntry("gpu_mem_bw", 1008.0);
    }

    @Test
    void the_host_reported_compute_capability_wins_over_the_catalog() {
        MachineSpec s = Markets.spec("RTX 4090", 1);
        MachineSpec reported = new MachineSpec(
                s.gpuName(),
                1,
                s.gpuRamMb(),
                s.gpuArch(),
                860,
                s.cudaMaxGood(),
                "bogus",
                s.pcieBw(),
                s.pciGen(),
                s.gpuLanes(),
                s.gpuMaxPower(),
                s.gpuMaxTemp(),
                s.bwNvlink(),
                s.gpuDisplayActive(),
                s.cpuName(),
                s.cpuArch(),
                s.cpuCores(),
                s.cpuGhz(),
                s.cpuRamMb(),
                s.hasAvx(),
                s.diskSpaceGb(),
                s.diskBw(),
                s.diskName(),
                s.inetUp(),
                s.inetDown(),
                s.moboName(),
                s.osVersion(),
                null,
                null,
                -1,
                -1,
                "Washington, US",
                true,
                true,
                true);
        Map<String, Object> json =
                render(offer(Markets.machine(5, reported, Markets.listing(1)), 1), PriceType.ON_DEMAND, 8);
        assertThat(json)
                .containsEntry("compute_cap", 860)
                .containsEntry("driver_vers", null)
                .containsEntry("public_ipaddr", null)
                .containsEntry("hostname", null)
                .containsEntry("direct_port_count", 0)
                .containsEntry("hosting_type", 1)
                .containsEntry("static_ip", true)
                .containsEntry("geolocode", 0x5553);
    }

    @Test
    void a_page_row_is_the_rendered_offer_with_its_row_number_and_serializes_the_same() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (OfferView o : Markets.random(4, 40).offers()) {
            for (PriceType type : PriceType.values()) {
                PriceContext context =
                        new PriceContext(type, 8, NOW, Set.of(o.machine().id()));
                Map<String, Object> row = OfferFields.renderRow(o, context, 7);
                LinkedHashMap<String, Object> expected = OfferFields.render(o, context);
                expected.put("rn", 7);
                assertThat(row).isEqualTo(expected).hasSameHashCodeAs(expected);
                assertThat(row.keySet()).containsExactlyElementsOf(expected.keySet());
                assertThat(json.writeValueAsString(row)).isEqualTo(json.writeValueAsString(expected));
                assertThat(row.containsKey("driver_vers")).isTrue();
                assertThat(row.containsKey("no_such_field")).isFalse();
                assertThat(row.get("no_such_field")).isNull();
                assertThatThrownBy(() -> row.put("rn", 1)).isInstanceOf(UnsupportedOperationException.class);
            }
        }
    }

    @Test
    void driver_vers_is_the_driver_text_as_vasts_integer_whatever_the_text() {
        String[] texts = {
            "535.86.05",
            "550.54.15",
            "0.0.0",
            "999.999.999",
            "00.000.0",
            "1.2.3",
            "535.86",
            "535.86.05.1",
            " 535.86.05 ",
            "535..05",
            ".535.86",
            "535.86.",
            "1234.1.1",
            "1.1234.1",
            "a.b.c",
            "",
            ".",
            "..",
            "5.3.",
            "\u0665\u0663\u0665.86.05",
            "535.86.0x",
            "-535.86.05",
            "+1.2.3"
        };
        MachineSpec s = Markets.spec("RTX 4090", 1);
        for (String text : texts) {
            MachineSpec spec = new MachineSpec(
                    s.gpuName(),
                    1,
                    s.gpuRamMb(),
                    s.gpuArch(),
                    s.computeCap(),
                    s.cudaMaxGood(),
                    text,
                    s.pcieBw(),
                    s.pciGen(),
                    s.gpuLanes(),
                    s.gpuMaxPower(),
                    s.gpuMaxTemp(),
                    s.bwNvlink(),
                    s.gpuDisplayActive(),
                    s.cpuName(),
                    s.cpuArch(),
                    s.cpuCores(),
                    s.cpuGhz(),
                    s.cpuRamMb(),
                    s.hasAvx(),
                    s.diskSpaceGb(),
                    s.diskBw(),
                    s.diskName(),
                    s.inetUp(),
                    s.inetDown(),
                    s.moboName(),
                    s.osVersion(),
                    null,
                    null,
                    -1,
                    -1,
                    "Washington, US",
                    true,
                    true,
                    true);
            long vers = DriverVersion.toInt(text);
            Map<String, Object> json =
                    render(offer(Markets.machine(5, spec, Markets.listing(1)), 1), PriceType.ON_DEMAND, 8);
            assertThat(json.get("driver_vers")).as("'" + text + "'").isEqualTo(vers < 0 ? null : vers);
        }
    }

    @Test
    void time_fields_count_from_now_and_rentable_ends_with_the_listing() {
        Listing ends = new Listing(400_000, 0, 0, 0, 0, 1, NOW + 45 * 86_400 + 5 * 3600, 0);
        Machine m = Markets.machine(5, Markets.spec("RTX 4090", 1), ends);
        Map<String, Object> json = render(offer(m, 1), PriceType.ON_DEMAND, 8);
        assertThat(json)
                .containsEntry("start_date", (double) NOW)
                .containsEntry("end_date", (double) ends.endDate())
                .containsEntry("duration", 45 * 86_400.0 + 5 * 3600)
                .containsEntry("rentable", true)
                .containsEntry("time_remaining", "1 Mon 15 D 5 Hr");
        PriceContext later = new PriceContext(PriceType.ON_DEMAND, 8, ends.endDate(), Set.of());
        assertThat(OfferFields.render(offer(m, 1), later))
                .containsEntry("rentable", false)
                .containsEntry("duration", 0.0);
    }

    @Test
    void rented_is_true_on_machines_the_caller_rents_on() {
        Machine m = Markets.machine(5, Markets.spec("RTX 4090", 1), Markets.listing(1));
        assertThat(OfferFields.render(offer(m, 1), new PriceContext(PriceType.ON_DEMAND, 8, NOW, Set.of(5L))))
                .containsEntry("rented", true);
        assertThat(OfferFields.render(offer(m, 1), new PriceContext(PriceType.ON_DEMAND, 8, NOW, Set.of(6L))))
                .containsEntry("rented", false);
    }

    @Test
    void only_the_per_request_fields_change_with_the_moment_the_caller_and_the_row() {
        List<String> names =
                new ArrayList<>(OfferFields.all().stream().map(Field::name).toList());
        for (OfferView o : Markets.random(5, 60).offers()) {
            for (PriceType type : PriceType.values()) {
                // a day before the listing ends and after it ended: rentable and the durations change
                long early = o.listing().endDate() - 86_400;
                Map<String, Object> a = OfferFields.renderRow(o, new PriceContext(type, 8, early, Set.of()), 1);
                Map<String, Object> b = OfferFields.renderRow(
                        o,
                        new PriceContext(
                                type,
                                8,
                                o.listing().endDate() + 7_777,
                                Set.of(o.machine().id())),
                        2);
                for (int i = 0; i < names.size(); i++) {
                    String name = names.get(i);
                    if (!OfferFields.perRequest(i)) {
                        assertThat(b.get(name)).as(name).isEqualTo(a.get(name));
                    }
                }
                for (String moving : List.of("rentable", "rented", "start_date", "duration", "rn")) {
                    assertThat(b.get(moving)).as(moving).isNotEqualTo(a.get(moving));
                }
            }
        }
    }

    @Test
    void a_field_read_alone_is_the_fields_value_in_the_rendered_row() {
        for (OfferView o : Markets.random(6, 20).offers()) {
            PriceContext context =
                    new PriceContext(PriceType.BID, 20, NOW, Set.of(o.machine().id()));
            OfferJson lazy = (OfferJson) OfferFields.renderRow(o, context, 3);
            OfferJson rendered = (OfferJson) OfferFields.renderRow(o, context, 3);
            for (int i = 0; i < lazy.size(); i++) {
                assertThat(lazy.valueAlone(i)).as(lazy.key(i)).isEqualTo(rendered.value(i));
            }
            assertThat(lazy.view()).isSameAs(o);
            assertThat(lazy.context()).isSameAs(context);
        }
    }
}
