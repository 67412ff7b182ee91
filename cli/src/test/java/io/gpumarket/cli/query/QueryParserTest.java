package io.gpumarket.cli.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpumarket.cli.client.PyJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The grammar's rules one at a time (docs/vast-compatibility.md §e.1-e.2), beyond the worked examples. */
class QueryParserTest {
    private final List<String> warnings = new ArrayList<>();

    private String parse(String query) {
        return PyJson.write(QueryParser.parse(List.of(query), Map.of(), QueryFields.OFFERS, warnings::add));
    }

    @Test
    void every_operator_spelling_maps_to_its_name() {
        assertThat(
                        parse(
                                "a>=1 b>2 c<=3 d<4 e!=5 f==6 g=7 h gte 8 i gt 9 j lte 10 k lt 11 l eq 12 m neq 13 n noteq 14 o not eq 15"))
                .isEqualTo(
                        "{\"a\": {\"gte\": \"1\"}, \"b\": {\"gt\": \"2\"}, \"c\": {\"lte\": \"3\"}, \"d\": {\"lt\": \"4\"}, "
                                + "\"e\": {\"neq\": \"5\"}, \"f\": {\"eq\": \"6\"}, \"g\": {\"eq\": \"7\"}, \"h\": {\"gte\": \"8\"}, "
                                + "\"i\": {\"gt\": \"9\"}, \"j\": {\"lte\": \"10\"}, \"k\": {\"lt\": \"11\"}, \"l\": {\"eq\": \"12\"}, "
                                + "\"m\": {\"neq\": \"13\"}, \"n\": {\"neq\": \"14\"}, \"o\": {\"neq\": \"15\"}}");
        assertThat(parse("a in [1,2] b notin [3] c nin [4] d not in [5]"))
                .isEqualTo(
                        "{\"a\": {\"in\": [\"1\", \"2\"]}, \"b\": {\"notin\": [\"3\"]}, \"c\": {\"notin\": [\"4\"]}, \"d\": {\"notin\": [\"5\"]}}");
    }

    @Test
    void operators_on_one_field_accumulate_and_the_same_operator_overwrites() {
        assertThat(parse("cuda_vers>=12.0 cuda_max_good<14.0 num_gpus=1 num_gpus=2"))
                .isEqualTo("{\"cuda_max_good\": {\"gte\": \"12.0\", \"lt\": \"14.0\"}, \"num_gpus\": {\"eq\": \"2\"}}");
    }

    @Test
    void an_alias_already_in_the_body_moves_to_its_canonical_name() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("dph", new LinkedHashMap<>(Map.of("lt", "1")));
        body.put("num_gpus", new LinkedHashMap<>(Map.of("eq", "1")));
        assertThat(PyJson.write(QueryParser.parse(List.of("dph>0.1"), body, QueryFields.OFFERS, warnings::add)))
                .isEqualTo("{\"num_gpus\": {\"eq\": \"1\"}, \"dph_total\": {\"lt\": \"1\", \"gt\": \"0.1\"}}");
    }

    @Test
    void wildcards_remove_the_field_and_only_go_with_equals() {
        assertThat(PyJson.write(QueryParser.parse(
                        List.of("verified=* rentable=? external=any"),
                        OfferSearch.defaults(false),
                        QueryFields.OFFERS,
                        warnings::add)))
                .isEqualTo("{}");
        assertThatThrownBy(() -> parse("num_gpus>any")).hasMessage("Wildcard only makes sense with equals.");
    }

    @Test
    void underscores_become_spaces_in_every_string_value() {
        assertThat(parse("cpu_arch=x86_64 mobo_name=\"X_670 E\""))
                .isEqualTo("{\"cpu_arch\": {\"eq\": \"x86 64\"}, \"mobo_name\": {\"eq\": \"X 670 E\"}}");
    }

    @Test
    void booleans_and_null_in_both_spellings_and_everything_else_stays_a_string() {
        assertThat(parse("a=true b=True c=false d=False e=None f=null g=TRUE h=1.50"))
                .isEqualTo(
                        "{\"a\": {\"eq\": true}, \"b\": {\"eq\": true}, \"c\": {\"eq\": false}, \"d\": {\"eq\": false}, "
                                + "\"e\": {\"eq\": null}, \"f\": {\"eq\": null}, \"g\": {\"eq\": \"TRUE\"}, \"h\": {\"eq\": \"1.50\"}}");
    }

    @Test
    void unknown_fields_are_sent_with_a_warning() {
        assertThat(parse("colour=red")).isEqualTo("{\"colour\": {\"eq\": \"red\"}}");
        assertThat(warnings).containsExactly("Warning: Unrecognized field: colour, see list of recognized fields.");
    }

    @Test
    void multiplied_fields_need_a_number() {
        assertThat(parse("gpu_ram>=0.5 duration<1.5"))
                .isEqualTo("{\"gpu_ram\": {\"gte\": 500.0}, \"duration\": {\"lt\": 129600.0}}");
        assertThatThrownBy(() -> parse("gpu_ram>lots")).hasMessage("could not convert string to float: 'lots'");
        assertThatThrownBy(() -> parse("gpu_ram in [24,48]"))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("gpu_ram");
    }

    @Test
    void a_driver_version_that_is_not_three_parts_is_reported_and_refused_as_blank() {
        assertThat(parse("driver_version>=550.54.15")).isEqualTo("{\"driver_version\": {\"gte\": 550054015}}");
        assertThat(parse("driver_version=550")).isEqualTo("{\"driver_version\": {\"eq\": \"550\"}}");
        assertThatThrownBy(() -> parse("driver_version>=550.54"))
                .hasMessage(
                        "Value cannot be blank. Did you forget to quote your query? ('driver_version', '>=', None) (at character 17: 'driver_version>=550.54')");
        assertThat(warnings).contains("Invalid version string format. Expected format: X.X.X");
    }

    @Test
    void an_empty_list_is_blank() {
        assertThatThrownBy(() -> parse("geolocation in [,]"))
                .hasMessage(
                        "Value cannot be blank. Did you forget to quote your query? ('geolocation', 'in', []) (at character 16: 'geolocation in [,]')");
    }

    @Test
    void words_are_joined_with_single_spaces_then_stripped() {
        assertThat(PyJson.write(QueryParser.parse(
                        List.of(" num_gpus=1", "gpu_name=A100 "), Map.of(), QueryFields.OFFERS, warnings::add)))
                .isEqualTo("{\"num_gpus\": {\"eq\": \"1\"}, \"gpu_name\": {\"eq\": \"A100\"}}");
    }

    @Test
    void the_defaults_given_are_not_changed() {
        Map<String, Object> defaults = OfferSearch.defaults(false);
        QueryParser.parse(List.of("verified=any rentable=false"), defaults, QueryFields.OFFERS, warnings::add);
        assertThat(PyJson.write(defaults))
                .isEqualTo(
                        "{\"verified\": {\"eq\": true}, \"external\": {\"eq\": false}, \"rentable\": {\"eq\": true}}");
    }

    @Test
    void order_signs_at_either_end_and_plus_wins() {
        assertThat(OfferSearch.order("-dph, flops_usd+ ,,num_gpus,-x+"))
                .containsExactly(
                        List.of("dph_total", "desc"),
                        List.of("flops_per_dphtotal", "asc"),
                        List.of("num_gpus", "asc"),
                        List.of("-x", "asc"));
    }

    @Test
    void template_dates_become_epoch_seconds() {
        assertThat(PyJson.write(TemplateSearch.selectFilters(
                        List.of("created_at>=01/02/2024 recent_create_date<1700000000"), warnings::add)))
                .isEqualTo("{\"created_at\": {\"gte\": 1704153600.0}, \"recent_create_date\": {\"lt\": 1700000000.0}}");
        assertThatThrownBy(() -> TemplateSearch.selectFilters(List.of("created_at>yesterday"), warnings::add))
                .hasMessage("time data 'yesterday' does not match format '%m/%d/%Y'");
    }

    @Test
    void python_float_repr() {
        assertThat(Py.floatRepr(5.0)).isEqualTo("5.0");
        assertThat(Py.floatRepr(2073600.0)).isEqualTo("2073600.0");
        assertThat(Py.floatRepr(0.1 * 3)).isEqualTo("0.30000000000000004");
        assertThat(Py.floatRepr(1e16)).isEqualTo("1e+16");
        assertThat(Py.floatRepr(123456789012345.6)).isEqualTo("123456789012345.6");
        assertThat(Py.floatRepr(0.0001)).isEqualTo("0.0001");
        assertThat(Py.floatRepr(0.00001)).isEqualTo("1e-05");
        assertThat(Py.floatRepr(-1.5e-7)).isEqualTo("-1.5e-07");
    }

    @Test
    void python_json_escapes_like_json_dumps() {
        assertThat(PyJson.write(Map.of("k", "a\"b\\c\nd\u00e9"))).isEqualTo("{\"k\": \"a\\\"b\\\\c\\nd\\u00e9\"}");
        assertThatThrownBy(() -> PyJson.write(Double.POSITIVE_INFINITY))
                .hasMessage("Out of range float values are not JSON compliant");
    }
}
