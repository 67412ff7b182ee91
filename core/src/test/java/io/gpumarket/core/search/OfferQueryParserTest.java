package io.gpumarket.core.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.gpumarket.core.offer.PriceType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class OfferQueryParserTest {
    private static OfferQuery parse(String json) {
        return OfferQueryParser.parse(Json.body(json));
    }

    /** Conditions as (key, field, op, values) for compact assertions. */
    private static List<Tuple> conditions(OfferQuery q) {
        List<Tuple> out = new ArrayList<>();
        for (Condition c : q.conditions()) out.add(tuple(c.key(), c.field(), c.op(), c.values()));
        return out;
    }

    private static final String CLI_DEFAULTS =
            "\"verified\": {\"eq\": true}, \"external\": {\"eq\": false}, \"rentable\": {\"eq\": true}";

    private static Tuple[] cliDefaults() {
        return new Tuple[] {
            tuple("verified", "vericode", Op.EQ, List.of(1.0)),
            tuple("external", "external", Op.EQ, List.of(0.0)),
            tuple("rentable", "rentable", Op.EQ, List.of(1.0))
        };
    }

    private static Tuple[] with(Tuple[] first, Tuple... rest) {
        List<Tuple> all = new ArrayList<>(Arrays.asList(first));
        all.addAll(Arrays.asList(rest));
        return all.toArray(Tuple[]::new);
    }

    private static Tuple storage(double gb) {
        return tuple("allocated_storage", "disk_space", Op.GTE, List.of(gb));
    }

    @Test
    void worked_example_1_rtx_4090_with_numbers_as_text_means_what_it_says() {
        OfferQuery q = parse(
                "{" + CLI_DEFAULTS + ", \"gpu_name\": {\"eq\": \"RTX 4090\"}, \"num_gpus\": {\"gte\": \"1\"}, "
                        + "\"reliability\": {\"gt\": \"0.99\"}, \"order\": [[\"score\", \"desc\"]], \"type\": \"on-demand\", \"allocated_storage\": 5.0}");
        assertThat(conditions(q))
                .containsExactly(with(
                        cliDefaults(),
                        tuple("gpu_name", "gpu_name", Op.EQ, List.of("rtx 4090")),
                        tuple("num_gpus", "num_gpus", Op.GTE, List.of(1.0)),
                        tuple("reliability", "reliability", Op.GT, List.of(0.99)),
                        storage(5.0)));
        assertThat(q.order()).containsExactly(new OrderKey("score", "score", true));
        assertThat(q.type()).isEqualTo(PriceType.ON_DEMAND);
        assertThat(q.allocatedStorageGb()).isEqualTo(5.0);
        assertThat(q.limit()).isEqualTo(OfferQuery.DEFAULT_LIMIT);
    }

    @Test
    void worked_example_1_from_the_legacy_cli_also_excludes_rented_machines() {
        OfferQuery q =
                parse("{" + CLI_DEFAULTS + ", \"rented\": {\"eq\": false}, \"gpu_name\": {\"eq\": \"RTX 4090\"}, "
                        + "\"num_gpus\": {\"gte\": \"1\"}, \"reliability\": {\"gt\": \"0.99\"}, \"order\": [[\"score\", \"desc\"]], "
                        + "\"type\": \"on-demand\", \"allocated_storage\": 5.0}");
        assertThat(conditions(q)).contains(tuple("rented", "rented", Op.EQ, List.of(0.0)));
    }

    @Test
    void eq_any_is_vastais_wildcard_and_sets_no_condition_as_its_self_test_sends_it() {
        OfferQuery q = parse("{\"machine_id\": {\"eq\": \"12\"}, \"verified\": {\"eq\": \"any\"}, "
                + "\"rentable\": {\"eq\": true}, \"rented\": {\"eq\": \"any\"}, \"reliability\": {\"eq\": \"*\"}, "
                + "\"order\": [[\"score\", \"desc\"]], \"type\": \"on-demand\", \"allocated_storage\": 5.0}");
        assertThat(conditions(q))
                .containsExactly(
                        tuple("machine_id", "machine_id", Op.EQ, List.of(12.0)),
                        tuple("rentable", "rentable", Op.EQ, List.of(1.0)),
                        storage(5.0));
    }

    @Test
    void worked_example_2_no_query_keeps_only_the_cli_defaults() {
        OfferQuery q = parse("{" + CLI_DEFAULTS
                + ", \"order\": [[\"score\", \"desc\"]], \"type\": \"on-demand\", \"allocated_storage\": 5.0}");
        assertThat(conditions(q)).containsExactly(with(cliDefaults(), storage(5.0)));
    }

    @Test
    void worked_example_3_cheapest_h100_sxm_first_ten() {
        OfferQuery q = parse(
                "{\"gpu_name\": {\"eq\": \"H100 SXM\"}, \"order\": [[\"dph_total\", \"asc\"]], \"type\": \"on-demand\", "
                        + "\"limit\": 10, \"allocated_storage\": 5.0}");
        assertThat(conditions(q))
                .containsExactly(tuple("gpu_name", "gpu_name", Op.EQ, List.of("h100 sxm")), storage(5.0));
        assertThat(q.order()).containsExactly(new OrderKey("dph_total", "dph_total", false));
        assertThat(q.limit()).isEqualTo(10);
    }

    @Test
    void worked_example_4_countries_and_a_two_key_order() {
        OfferQuery q =
                parse("{" + CLI_DEFAULTS + ", \"reliability\": {\"gt\": \"0.99\"}, \"num_gpus\": {\"eq\": \"4\"}, "
                        + "\"geolocation\": {\"in\": [\"TW\", \"SE\"]}, \"order\": [[\"num_gpus\", \"desc\"], [\"dlperf_per_dphtotal\", \"desc\"]], "
                        + "\"type\": \"on-demand\", \"allocated_storage\": 5.0}");
        assertThat(conditions(q))
                .containsExactly(with(
                        cliDefaults(),
                        tuple("reliability", "reliability", Op.GT, List.of(0.99)),
                        tuple("num_gpus", "num_gpus", Op.EQ, List.of(4.0)),
                        tuple("geolocation", "geolocation", Op.IN, List.of("tw", "se")),
                        storage(5.0)));
        assertThat(q.order())
                .containsExactly(
                        new OrderKey("num_gpus", "num_gpus", true),
                        new OrderKey("dlperf_per_dphtotal", "dlperf_per_dphtotal", true));
    }

    @Test
    void worked_example_5_gpu_list_and_excluded_countries() {
        OfferQuery q = parse(
                "{" + CLI_DEFAULTS
                        + ", \"reliability\": {\"gt\": \"0.99\"}, \"gpu_name\": {\"in\": [\"RTX 4090\", \"RTX 3090\"]}, "
                        + "\"geolocation\": {\"notin\": [\"CN\", \"VN\"]}, \"order\": [[\"score\", \"desc\"]], \"type\": \"on-demand\", \"allocated_storage\": 5.0}");
        assertThat(conditions(q))
                .contains(
                        tuple("gpu_name", "gpu_name", Op.IN, List.of("rtx 4090", "rtx 3090")),
                        tuple("geolocation", "geolocation", Op.NOTIN, List.of("cn", "vn")));
    }

    @Test
    void worked_example_6_units_aliases_and_the_driver_version() {
        OfferQuery q = parse(
                "{" + CLI_DEFAULTS + ", \"disk_space\": {\"gt\": \"146\"}, \"duration\": {\"gt\": 2073600.0}, "
                        + "\"gpu_ram\": {\"gt\": 10000.0}, \"cuda_max_good\": {\"gte\": \"12.1\"}, \"direct_port_count\": {\"gte\": \"2\"}, "
                        + "\"driver_version\": {\"gte\": 535086005}, \"order\": [[\"score\", \"desc\"]], \"type\": \"on-demand\", \"allocated_storage\": 5.0}");
        assertThat(conditions(q))
                .containsExactly(with(
                        cliDefaults(),
                        tuple("disk_space", "disk_space", Op.GT, List.of(146.0)),
                        tuple("duration", "duration", Op.GT, List.of(2073600.0)),
                        tuple("gpu_ram", "gpu_ram", Op.GT, List.of(10000.0)),
                        tuple("cuda_max_good", "cuda_max_good", Op.GTE, List.of(12.1)),
                        tuple("direct_port_count", "direct_port_count", Op.GTE, List.of(2.0)),
                        tuple("driver_version", "driver_vers", Op.GTE, List.of(535086005.0)),
                        storage(5.0)));
    }

    @Test
    void worked_example_7_unverified_machines_with_many_gpus() {
        OfferQuery q =
                parse("{\"verified\": {\"eq\": false}, \"external\": {\"eq\": false}, \"rentable\": {\"eq\": true}, "
                        + "\"reliability\": {\"gt\": \"0.99\"}, \"num_gpus\": {\"gte\": \"4\"}, \"order\": [[\"num_gpus\", \"desc\"]], "
                        + "\"type\": \"on-demand\", \"allocated_storage\": 5.0}");
        assertThat(conditions(q)).startsWith(tuple("verified", "vericode", Op.EQ, List.of(0.0)));
        assertThat(q.order()).containsExactly(new OrderKey("num_gpus", "num_gpus", true));
    }

    @Test
    void worked_example_8_bid_prices_in_a_datacenter_with_20_gb_of_disk() {
        OfferQuery q =
                parse("{" + CLI_DEFAULTS + ", \"gpu_name\": {\"eq\": \"RTX 3090\"}, \"cpu_ram\": {\"gte\": 32000.0}, "
                        + "\"dph_total\": {\"lt\": \"0.5\"}, \"datacenter\": {\"eq\": true}, \"order\": [[\"score\", \"desc\"]], "
                        + "\"type\": \"bid\", \"allocated_storage\": 20.0}");
        assertThat(conditions(q))
                .containsExactly(with(
                        cliDefaults(),
                        tuple("gpu_name", "gpu_name", Op.EQ, List.of("rtx 3090")),
                        tuple("cpu_ram", "cpu_ram", Op.GTE, List.of(32000.0)),
                        tuple("dph_total", "dph_total", Op.LT, List.of(0.5)),
                        tuple("datacenter", "hosting_type", Op.EQ, List.of(1.0)),
                        storage(20.0)));
        assertThat(q.type()).isEqualTo(PriceType.BID);
        assertThat(q.allocatedStorageGb()).isEqualTo(20.0);
    }

    @Test
    void worked_example_9_interruptible_without_the_external_default() {
        OfferQuery q = parse(
                "{\"verified\": {\"eq\": true}, \"rentable\": {\"eq\": true}, \"compute_cap\": {\"gt\": \"610\"}, "
                        + "\"total_flops\": {\"gt\": \"5\"}, \"static_ip\": {\"eq\": true}, \"order\": [[\"score\", \"desc\"]], "
                        + "\"type\": \"bid\", \"allocated_storage\": 5.0}");
        assertThat(conditions(q))
                .contains(
                        tuple("compute_cap", "compute_cap", Op.GT, List.of(610.0)),
                        tuple("total_flops", "total_flops", Op.GT, List.of(5.0)),
                        tuple("static_ip", "static_ip", Op.EQ, List.of(1.0)));
    }

    @Test
    void worked_example_10_reserved_pairs_on_arm() {
        OfferQuery q = parse(
                "{\"external\": {\"eq\": false}, \"rentable\": {\"eq\": true}, \"gpu_name\": {\"eq\": \"RTX 4090\"}, "
                        + "\"num_gpus\": {\"eq\": \"2\"}, \"inet_down\": {\"gte\": \"500\"}, \"cpu_arch\": {\"eq\": \"arm64\"}, "
                        + "\"order\": [[\"score\", \"desc\"]], \"type\": \"reserved\", \"allocated_storage\": 5.0}");
        assertThat(conditions(q))
                .contains(
                        tuple("inet_down", "inet_down", Op.GTE, List.of(500.0)),
                        tuple("cpu_arch", "cpu_arch", Op.EQ, List.of("arm64")));
        assertThat(q.type()).isEqualTo(PriceType.RESERVED);
    }

    @Test
    void worked_example_11_total_vram_excluded_gpus_avx_and_a_null() {
        OfferQuery q = parse("{" + CLI_DEFAULTS
                + ", \"gpu_total_ram\": {\"gte\": 80000.0}, \"gpu_name\": {\"notin\": [\"RTX 3090\", \"RTX 3080\"]}, "
                + "\"has_avx\": {\"eq\": \"1\"}, \"vms_enabled\": {\"eq\": null}, \"order\": [[\"score\", \"desc\"]], "
                + "\"type\": \"on-demand\", \"allocated_storage\": 5.0}");
        List<Object> nullValue = new ArrayList<>();
        nullValue.add(null);
        assertThat(conditions(q))
                .contains(
                        tuple("gpu_total_ram", "gpu_total_ram", Op.GTE, List.of(80000.0)),
                        tuple("gpu_name", "gpu_name", Op.NOTIN, List.of("rtx 3090", "rtx 3080")),
                        tuple("has_avx", "has_avx", Op.EQ, List.of(1.0)),
                        tuple("vms_enabled", "vms_enabled", Op.EQ, nullValue));
    }

    @Test
    void the_docs_quickstart_bodies_parse() {
        OfferQuery hello =
                parse("{\"verified\":{\"eq\":true},\"rentable\":{\"eq\":true},\"gpu_name\":{\"eq\":\"RTX 4090\"},"
                        + "\"num_gpus\":{\"eq\":1},\"direct_port_count\":{\"gte\":1},\"order\":[[\"dlperf_per_dphtotal\",\"desc\"]],"
                        + "\"type\":\"on-demand\",\"limit\":5}");
        assertThat(hello.limit()).isEqualTo(5);
        assertThat(conditions(hello)).endsWith(storage(8.0));
        OfferQuery guide = parse(
                "{\"gpu_name\":{\"in\":[\"RTX 4090\"]},\"num_gpus\":{\"gte\":1},\"gpu_ram\":{\"gte\":24000},"
                        + "\"reliability\":{\"gte\":0.99},\"verified\":{\"eq\":true},\"rentable\":{\"eq\":true},\"type\":\"ondemand\",\"limit\":3}");
        assertThat(guide.type()).isEqualTo(PriceType.ON_DEMAND);
        assertThat(guide.limit()).isEqualTo(3);
        OfferQuery docs = parse(
                "{\"limit\": 100, \"type\": \"on-demand\", \"verified\": {\"eq\": true}, \"rentable\": {\"eq\": true}, "
                        + "\"rented\": {\"eq\": false}}");
        assertThat(docs.limit()).isEqualTo(100);
    }

    @Test
    void an_empty_body_searches_everything_by_score_at_the_default_storage() {
        OfferQuery q = parse("{}");
        assertThat(conditions(q)).containsExactly(storage(8.0));
        assertThat(q.order()).containsExactly(new OrderKey("score", "score", true));
        assertThat(q.limit()).isEqualTo(64);
        assertThat(q.type()).isEqualTo(PriceType.ON_DEMAND);
        assertThat(q.explain()).isFalse();
    }

    @Test
    void an_alias_and_its_canonical_key_both_become_conditions() {
        OfferQuery q = parse(
                "{\"dph\": {\"lt\": \"0.12\"}, \"dph_total\": {\"lt\": \"0.12\"}, \"cuda_vers\": {\"gte\": \"12.1\"}, "
                        + "\"cuda_max_good\": {\"gte\": \"12.0\", \"lt\": \"14.0\"}}");
        assertThat(conditions(q))
                .containsExactly(
                        tuple("dph", "dph_total", Op.LT, List.of(0.12)),
                        tuple("dph_total", "dph_total", Op.LT, List.of(0.12)),
                        tuple("cuda_vers", "cuda_max_good", Op.GTE, List.of(12.1)),
                        tuple("cuda_max_good", "cuda_max_good", Op.GTE, List.of(12.0)),
                        tuple("cuda_max_good", "cuda_max_good", Op.LT, List.of(14.0)),
                        storage(8.0));
    }

    @Test
    void every_documented_alias_maps_to_its_column() {
        Map<String, String> aliases = Map.ofEntries(
                Map.entry("reliability2", "reliability"),
                Map.entry("dphtotal", "dph_total"),
                Map.entry("gpu_totalram", "gpu_total_ram"),
                Map.entry("ubuntu_version", "os_version"),
                Map.entry("cuda_vers", "cuda_max_good"),
                Map.entry("display_active", "gpu_display_active"),
                Map.entry("dlperf_usd", "dlperf_per_dphtotal"),
                Map.entry("dph", "dph_total"),
                Map.entry("flops_usd", "flops_per_dphtotal"),
                Map.entry("driver_version", "driver_vers"),
                Map.entry("gpu_totalram_GB", "gpu_total_ram"),
                Map.entry("cpu_ram_GB", "cpu_ram"),
                Map.entry("gpu_ram_GB", "gpu_ram"),
                Map.entry("verified", "vericode"),
                Map.entry("datacenter", "hosting_type"));
        aliases.forEach((alias, column) -> {
            OfferQuery q =
                    OfferQueryParser.parse(Map.of(alias, Map.of("neq", "1"), "order", List.of(List.of(alias, "asc"))));
            assertThat(q.conditions().get(0).field()).as(alias).isEqualTo(column);
            assertThat(q.order().get(0).field()).as(alias).isEqualTo(column);
        });
    }

    @Test
    void gigabyte_aliases_are_multiplied_into_megabytes() {
        OfferQuery q = parse(
                "{\"gpu_ram_GB\": {\"gte\": 24}, \"cpu_ram_GB\": {\"in\": [\"32\", 64]}, \"gpu_totalram_GB\": {\"lt\": \"80.5\"}}");
        assertThat(conditions(q))
                .startsWith(
                        tuple("gpu_ram_GB", "gpu_ram", Op.GTE, List.of(24000.0)),
                        tuple("cpu_ram_GB", "cpu_ram", Op.IN, List.of(32000.0, 64000.0)),
                        tuple("gpu_totalram_GB", "gpu_total_ram", Op.LT, List.of(80500.0)));
    }

    @Test
    void a_dotted_driver_version_becomes_vasts_integer() {
        OfferQuery q = parse("{\"driver_version\": {\"gte\": \"535.86.05\", \"lt\": \"560.0.0\"}}");
        assertThat(conditions(q))
                .startsWith(
                        tuple("driver_version", "driver_vers", Op.GTE, List.of(535086005.0)),
                        tuple("driver_version", "driver_vers", Op.LT, List.of(560000000.0)));
        assertRefused("{\"driver_version\": {\"gte\": \"535.86\"}}", "driver_version", "\"535.86\"");
    }

    @Test
    void booleans_are_read_in_every_spelling_clients_use() {
        OfferQuery q = parse(
                "{\"rentable\": {\"eq\": \"true\"}, \"static_ip\": {\"eq\": \"False\"}, \"verified\": {\"eq\": 1}, "
                        + "\"datacenter\": {\"neq\": \"0\"}, \"rented\": {\"in\": [false, \"true\"]}}");
        assertThat(conditions(q))
                .startsWith(
                        tuple("rentable", "rentable", Op.EQ, List.of(1.0)),
                        tuple("static_ip", "static_ip", Op.EQ, List.of(0.0)),
                        tuple("verified", "vericode", Op.EQ, List.of(1.0)),
                        tuple("datacenter", "hosting_type", Op.NEQ, List.of(0.0)),
                        tuple("rented", "rented", Op.IN, List.of(0.0, 1.0)));
        assertRefused("{\"rentable\": {\"eq\": \"yes\"}}", "rentable", "\"yes\"");
        assertRefused("{\"verified\": {\"eq\": 2}}", "verified", "2");
    }

    @Test
    void text_values_are_normalized_and_numbers_are_accepted_as_text() {
        OfferQuery q = parse(
                "{\"gpu_name\": {\"eq\": \"RTX_4090\"}, \"os_version\": {\"eq\": 22.04}, \"ubuntu_version\": {\"in\": [\"24.04\", 20]}}");
        assertThat(conditions(q))
                .startsWith(
                        tuple("gpu_name", "gpu_name", Op.EQ, List.of("rtx 4090")),
                        tuple("os_version", "os_version", Op.EQ, List.of("22.04")),
                        tuple("ubuntu_version", "os_version", Op.IN, List.of("24.04", "20")));
    }

    @Test
    void a_bare_value_means_eq_and_a_bare_list_means_in() {
        assertThat(conditions(parse(
                        "{\"external\": false, \"num_gpus\": \"4\", \"gpu_name\": [\"RTX_4090\", \"H100 SXM\"]}")))
                .startsWith(
                        tuple("external", "external", Op.EQ, List.of(0.0)),
                        tuple("num_gpus", "num_gpus", Op.EQ, List.of(4.0)),
                        tuple("gpu_name", "gpu_name", Op.IN, List.of("rtx 4090", "h100 sxm")));
    }

    @Test
    void a_bare_value_for_in_is_a_list_of_one() {
        assertThat(conditions(parse("{\"gpu_name\": {\"in\": \"RTX 4090\"}}")))
                .startsWith(tuple("gpu_name", "gpu_name", Op.IN, List.of("rtx 4090")));
    }

    @Test
    void control_keys_set_price_type_limit_storage_and_explain() {
        for (String type : List.of("on-demand", "ondemand", "On-Demand"))
            assertThat(parse("{\"type\": \"" + type + "\"}").type()).isEqualTo(PriceType.ON_DEMAND);
        for (String type : List.of("bid", "interruptible"))
            assertThat(parse("{\"type\": \"" + type + "\"}").type()).isEqualTo(PriceType.BID);
        assertThat(parse("{\"type\": \"reserved\"}").type()).isEqualTo(PriceType.RESERVED);
        assertThat(parse("{\"limit\": \"20\"}").limit()).isEqualTo(20);
        assertThat(parse("{\"limit\": 10000}").limit()).isEqualTo(10000);
        assertThat(parse("{\"limit\": 3.0}").limit()).isEqualTo(3);
        assertThat(parse("{\"explain\": true}").explain()).isTrue();
        OfferQuery q = parse("{\"allocated_storage\": \"12.5\", \"target_reliability\": 0.98}");
        assertThat(q.allocatedStorageGb()).isEqualTo(12.5);
        assertThat(conditions(q))
                .containsExactly(storage(12.5), tuple("target_reliability", "reliability", Op.GTE, List.of(0.98)));
    }

    @Test
    void sdk_keys_without_documented_meaning_are_accepted_and_ignored() {
        OfferQuery q = parse(
                "{\"disable_bundling\": true, \"extra_ids\": [1, 2], \"gpu_option\": \"x\", \"show_incompatible\": false, "
                        + "\"sort_option\": {\"a\": 1}, \"template_id\": 5, \"select_cols\": [\"*\"], \"external\": {\"eq\": false}}");
        assertThat(conditions(q)).containsExactly(tuple("external", "external", Op.EQ, List.of(0.0)), storage(8.0));
    }

    @Test
    void an_empty_order_sorts_by_id_only_and_a_bare_column_sorts_ascending() {
        assertThat(parse("{\"order\": []}").order()).isEmpty();
        assertThat(parse("{\"order\": [[\"dph\"]]}").order()).containsExactly(new OrderKey("dph", "dph_total", false));
        assertThat(parse("{\"order\": [[\"verified\", \"DESC\"]]}").order())
                .containsExactly(new OrderKey("verified", "vericode", true));
    }

    @Test
    void an_unknown_field_is_refused_naming_it() {
        assertRefused("{\"gpu_nmae\": {\"eq\": \"RTX 4090\"}}", "gpu_nmae", "unknown search field 'gpu_nmae'");
        assertRefused("{\"q\": {\"gpu_name\": {\"eq\": \"RTX 4090\"}}}", "q", "'q'");
    }

    @Test
    void an_unknown_operator_is_refused_naming_it() {
        assertRefused("{\"num_gpus\": {\"=>\": 2}}", "num_gpus", "unknown operator '=>' for 'num_gpus'");
        assertRefused("{\"num_gpus\": {\"EQ\": 2}}", "num_gpus", "'EQ'");
    }

    @Test
    void a_value_of_the_wrong_type_is_refused_naming_field_and_value() {
        assertRefused("{\"num_gpus\": {\"gte\": \"abc\"}}", "num_gpus", "value \"abc\" for 'num_gpus' is not a number");
        assertRefused("{\"dph_total\": {\"lt\": [1, 2]}}", "dph_total", "dph_total");
        assertRefused("{\"num_gpus\": {\"in\": [1, \"two\"]}}", "num_gpus", "\"two\"");
        assertRefused("{\"num_gpus\": {\"gte\": \"NaN\"}}", "num_gpus", "\"NaN\"");
        assertRefused("{\"gpu_name\": {\"eq\": true}}", "gpu_name", "true");
    }

    @Test
    void a_number_too_large_for_a_double_is_refused_for_text_and_number_fields_alike() {
        assertRefused("{\"gpu_name\": {\"eq\": 1e999}}", "gpu_name", "is not text or a finite number");
        assertRefused("{\"gpu_name\": {\"in\": [\"RTX 4090\", -1e999]}}", "gpu_name", "is not text or a finite number");
        assertRefused("{\"num_gpus\": {\"gte\": 1e999}}", "num_gpus", "is not a finite number");
        assertRefused("{\"limit\": 1e999}", "limit", "limit");
    }

    @Test
    void fields_that_are_objects_or_per_page_cannot_be_searched() {
        assertRefused("{\"gpu_ids\": {\"eq\": 1}}", "gpu_ids", "cannot be used in a search");
        assertRefused("{\"search\": {\"eq\": 1}}", "search", "cannot be used in a search");
        assertRefused("{\"order\": [[\"rn\", \"asc\"]]}", "order", "rn");
    }

    @Test
    void malformed_order_limit_type_and_storage_are_refused() {
        assertRefused("{\"order\": \"score\"}", "order", "order must be a list");
        assertRefused("{\"order\": [[\"score\", \"down\"]]}", "order", "\"asc\" or \"desc\"");
        assertRefused("{\"order\": [[\"scroe\", \"desc\"]]}", "order", "unknown sort column 'scroe'");
        assertRefused("{\"order\": [[1, \"desc\"]]}", "order", "order entry");
        assertRefused("{\"limit\": 0}", "limit", "1..10000");
        assertRefused("{\"limit\": 10001}", "limit", "10001");
        assertRefused("{\"limit\": 2.5}", "limit", "2.5");
        assertRefused("{\"limit\": \"ten\"}", "limit", "ten");
        assertRefused("{\"type\": \"spot\"}", "type", "spot");
        assertRefused("{\"type\": 1}", "type", "1");
        assertRefused("{\"explain\": \"yes\"}", "explain", "yes");
        assertRefused("{\"allocated_storage\": -1}", "allocated_storage", "-1");
        assertRefused("{\"allocated_storage\": \"lots\"}", "allocated_storage", "lots");
        assertRefused("{\"allocated_storage\": 1e300}", "allocated_storage", "0..1000000 GB");
        assertRefused("{\"target_reliability\": \"high\"}", "target_reliability", "high");
    }

    private static void assertRefused(String json, String field, String messagePart) {
        ThrowingCallable parse = () -> parse(json);
        assertThatThrownBy(parse)
                .isInstanceOf(QueryException.class)
                .hasMessageContaining(messagePart)
                .satisfies(e -> {
                    assertThat(((QueryException) e).field()).isEqualTo(field);
                    assertThat(((QueryException) e).error()).isEqualTo("invalid_args");
                });
    }
}
