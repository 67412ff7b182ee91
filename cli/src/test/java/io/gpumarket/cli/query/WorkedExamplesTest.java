package io.gpumarket.cli.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpumarket.cli.client.PyJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every worked example of docs/vast-compatibility.md §e.4, byte for byte: the body is written as vastai writes it (Python's json.dumps),
 * so the expected strings below are copied verbatim from the spec. And the four error cases with their messages.
 */
class WorkedExamplesTest {
    private final List<String> warnings = new ArrayList<>();

    private String offers(String query, boolean noDefault, String order, String type, Integer limit, double storage) {
        List<String> words = query == null ? null : List.of(query);
        return PyJson.write(new OfferSearch(words, noDefault, order, type, limit, storage).body(warnings::add));
    }

    private String offers(String query) {
        return offers(query, false, "score-", "on-demand", null, 5.0);
    }

    @Test
    void example_1_gpu_name_with_underscore_and_numbers_as_strings() {
        assertThat(offers("gpu_name=RTX_4090 num_gpus>=1 reliability>0.99"))
                .isEqualTo(
                        "{\"verified\": {\"eq\": true}, \"external\": {\"eq\": false}, \"rentable\": {\"eq\": true}, \"gpu_name\": {\"eq\": \"RTX 4090\"}, \"num_gpus\": {\"gte\": \"1\"}, \"reliability\": {\"gt\": \"0.99\"}, \"order\": [[\"score\", \"desc\"]], \"type\": \"on-demand\", \"allocated_storage\": 5.0}");
        assertThat(warnings).isEmpty();
    }

    @Test
    void example_2_no_query() {
        assertThat(offers(null))
                .isEqualTo(
                        "{\"verified\": {\"eq\": true}, \"external\": {\"eq\": false}, \"rentable\": {\"eq\": true}, \"order\": [[\"score\", \"desc\"]], \"type\": \"on-demand\", \"allocated_storage\": 5.0}");
    }

    @Test
    void example_3_no_defaults_ascending_alias_order_and_limit() {
        assertThat(offers("gpu_name=H100_SXM", true, "dph+", "on-demand", 10, 5.0))
                .isEqualTo(
                        "{\"gpu_name\": {\"eq\": \"H100 SXM\"}, \"order\": [[\"dph_total\", \"asc\"]], \"type\": \"on-demand\", \"limit\": 10, \"allocated_storage\": 5.0}");
    }

    @Test
    void example_4_in_list_and_two_descending_orders() {
        assertThat(offers(
                        "reliability>0.99 num_gpus=4 geolocation in [TW,SE]",
                        false,
                        "num_gpus-,dlperf_usd-",
                        "on-demand",
                        null,
                        5.0))
                .isEqualTo(
                        "{\"verified\": {\"eq\": true}, \"external\": {\"eq\": false}, \"rentable\": {\"eq\": true}, \"reliability\": {\"gt\": \"0.99\"}, \"num_gpus\": {\"eq\": \"4\"}, \"geolocation\": {\"in\": [\"TW\", \"SE\"]}, \"order\": [[\"num_gpus\", \"desc\"], [\"dlperf_per_dphtotal\", \"desc\"]], \"type\": \"on-demand\", \"allocated_storage\": 5.0}");
    }

    @Test
    void example_5_quoted_list_items_and_notin() {
        assertThat(offers("reliability>0.99 gpu_name in [\"RTX 4090\", \"RTX 3090\"] geolocation notin [CN,VN]"))
                .isEqualTo(
                        "{\"verified\": {\"eq\": true}, \"external\": {\"eq\": false}, \"rentable\": {\"eq\": true}, \"reliability\": {\"gt\": \"0.99\"}, \"gpu_name\": {\"in\": [\"RTX 4090\", \"RTX 3090\"]}, \"geolocation\": {\"notin\": [\"CN\", \"VN\"]}, \"order\": [[\"score\", \"desc\"]], \"type\": \"on-demand\", \"allocated_storage\": 5.0}");
    }

    @Test
    void example_6_multipliers_alias_and_driver_version() {
        assertThat(
                        offers(
                                "disk_space>146 duration>24 gpu_ram>10 cuda_vers>=12.1 direct_port_count>=2 driver_version >= 535.86.05"))
                .isEqualTo(
                        "{\"verified\": {\"eq\": true}, \"external\": {\"eq\": false}, \"rentable\": {\"eq\": true}, \"disk_space\": {\"gt\": \"146\"}, \"duration\": {\"gt\": 2073600.0}, \"gpu_ram\": {\"gt\": 10000.0}, \"cuda_max_good\": {\"gte\": \"12.1\"}, \"direct_port_count\": {\"gte\": \"2\"}, \"driver_version\": {\"gte\": 535086005}, \"order\": [[\"score\", \"desc\"]], \"type\": \"on-demand\", \"allocated_storage\": 5.0}");
    }

    @Test
    void example_7_spaced_operator_override_and_wildcard_removing_a_legacy_default() {
        // vast.py's legacy defaults (with rented=false): rented=any removes it, verified=False overrides in place
        Map<String, Object> legacy = OfferSearch.defaults(false);
        legacy.put("rented", Map.of("eq", false));
        Map<String, Object> body = QueryParser.parse(
                List.of("reliability > 0.99  num_gpus>=4 verified=False rented=any"),
                legacy,
                QueryFields.OFFERS,
                warnings::add);
        body.put("order", OfferSearch.order("num_gpus-"));
        body.put("type", "on-demand");
        body.put("allocated_storage", 5.0);
        assertThat(PyJson.write(body))
                .isEqualTo(
                        "{\"verified\": {\"eq\": false}, \"external\": {\"eq\": false}, \"rentable\": {\"eq\": true}, \"reliability\": {\"gt\": \"0.99\"}, \"num_gpus\": {\"gte\": \"4\"}, \"order\": [[\"num_gpus\", \"desc\"]], \"type\": \"on-demand\", \"allocated_storage\": 5.0}");
    }

    @Test
    void example_7_with_the_current_defaults() {
        assertThat(offers(
                        "reliability > 0.99  num_gpus>=4 verified=False rented=any",
                        false,
                        "num_gpus-",
                        "on-demand",
                        null,
                        5.0))
                .isEqualTo(
                        "{\"verified\": {\"eq\": false}, \"external\": {\"eq\": false}, \"rentable\": {\"eq\": true}, \"reliability\": {\"gt\": \"0.99\"}, \"num_gpus\": {\"gte\": \"4\"}, \"order\": [[\"num_gpus\", \"desc\"]], \"type\": \"on-demand\", \"allocated_storage\": 5.0}");
    }

    @Test
    void example_8_bid_type_cpu_ram_multiplier_and_storage() {
        assertThat(offers("gpu_name=RTX_3090 cpu_ram>=32 dph<0.5 datacenter=True", false, "score-", "bid", null, 20))
                .isEqualTo(
                        "{\"verified\": {\"eq\": true}, \"external\": {\"eq\": false}, \"rentable\": {\"eq\": true}, \"gpu_name\": {\"eq\": \"RTX 3090\"}, \"cpu_ram\": {\"gte\": 32000.0}, \"dph_total\": {\"lt\": \"0.5\"}, \"datacenter\": {\"eq\": true}, \"order\": [[\"score\", \"desc\"]], \"type\": \"bid\", \"allocated_storage\": 20.0}");
    }

    @Test
    void example_9_interruptible_and_a_wildcard_removing_the_external_default() {
        assertThat(offers(
                        "compute_cap > 610 total_flops > 5 static_ip=true external=any",
                        false,
                        "score-",
                        "bid",
                        null,
                        5.0))
                .isEqualTo(
                        "{\"verified\": {\"eq\": true}, \"rentable\": {\"eq\": true}, \"compute_cap\": {\"gt\": \"610\"}, \"total_flops\": {\"gt\": \"5\"}, \"static_ip\": {\"eq\": true}, \"order\": [[\"score\", \"desc\"]], \"type\": \"bid\", \"allocated_storage\": 5.0}");
    }

    @Test
    void example_10_reserved_quoted_value_and_word_operators() {
        assertThat(offers(
                        "gpu_name=\"RTX 4090\" num_gpus eq 2 inet_down gte 500 cpu_arch=arm64 verified=any",
                        false,
                        "score-",
                        "reserved",
                        null,
                        5.0))
                .isEqualTo(
                        "{\"external\": {\"eq\": false}, \"rentable\": {\"eq\": true}, \"gpu_name\": {\"eq\": \"RTX 4090\"}, \"num_gpus\": {\"eq\": \"2\"}, \"inet_down\": {\"gte\": \"500\"}, \"cpu_arch\": {\"eq\": \"arm64\"}, \"order\": [[\"score\", \"desc\"]], \"type\": \"reserved\", \"allocated_storage\": 5.0}");
    }

    @Test
    void example_11_total_ram_multiplier_bare_list_and_none() {
        assertThat(offers("gpu_total_ram>=80 gpu_name notin RTX_3090,RTX_3080 has_avx=1 vms_enabled=None"))
                .isEqualTo(
                        "{\"verified\": {\"eq\": true}, \"external\": {\"eq\": false}, \"rentable\": {\"eq\": true}, \"gpu_total_ram\": {\"gte\": 80000.0}, \"gpu_name\": {\"notin\": [\"RTX 3090\", \"RTX 3080\"]}, \"has_avx\": {\"eq\": \"1\"}, \"vms_enabled\": {\"eq\": null}, \"order\": [[\"score\", \"desc\"]], \"type\": \"on-demand\", \"allocated_storage\": 5.0}");
    }

    @Test
    void example_12_template_select_filters() {
        assertThat(PyJson.write(TemplateSearch.selectFilters(
                        List.of("count_created > 100  creator_id in [38382,48982] use_ssh=true"), warnings::add)))
                .isEqualTo(
                        "{\"count_created\": {\"gt\": \"100\"}, \"creator_id\": {\"in\": [\"38382\", \"48982\"]}, \"use_ssh\": {\"eq\": true}}");
    }

    @Test
    void interruptible_as_a_type_is_sent_as_bid() {
        assertThat(offers(null, true, "score-", "interruptible", null, 5.0)).contains("\"type\": \"bid\"");
    }

    @Test
    void an_unknown_symbol_operator_is_refused_with_its_text() {
        assertThatThrownBy(() -> offers("num_gpus => 2"))
                .isInstanceOf(QueryException.class)
                .hasMessage(
                        "Unknown operator. Did you forget to quote your query? '=>' (at character 10: 'num_gpus => 2')");
    }

    @Test
    void a_missing_operator_is_refused_as_an_empty_one() {
        assertThatThrownBy(() -> offers("gpu_name RTX_4090"))
                .isInstanceOf(QueryException.class)
                .hasMessage(
                        "Unknown operator. Did you forget to quote your query? '' (at character 9: 'gpu_name RTX_4090')");
    }

    @Test
    void a_blank_value_is_refused_naming_field_operator_and_value() {
        assertThatThrownBy(() -> offers("num_gpus>="))
                .isInstanceOf(QueryException.class)
                .hasMessage(
                        "Value cannot be blank. Did you forget to quote your query? ('num_gpus', '>=', '') (at character 11: 'num_gpus>=')");
    }

    @Test
    void text_the_grammar_cannot_consume_is_refused_showing_what_was_read() {
        assertThatThrownBy(() -> offers("reliability>0.9 ^^"))
                .isInstanceOf(QueryException.class)
                .hasMessage(
                        "Unconsumed text. Did you forget to quote your query? 'reliability>0.9 ' != 'reliability>0.9 ^^' (at character 17: '^^')");
    }
}
