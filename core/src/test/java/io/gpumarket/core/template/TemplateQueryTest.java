package io.gpumarket.core.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateQueryTest {
    static final List<Map<String, Object>> ROWS = List.of(
            Map.of("id", 1L, "name", "torch", "use_ssh", true, "count_created", 5L, "recommended", false),
            Map.of("id", 2L, "name", "jax", "use_ssh", false, "count_created", 9L, "recommended", true),
            Map.of("id", 3L, "name", "tf", "use_ssh", true, "count_created", 1L, "recommended", true));

    static List<Object> ids(TemplateQuery q) {
        return q.apply(ROWS).stream().map(r -> r.get("id")).toList();
    }

    @Test
    void filters_take_the_offer_dsl_operators_and_cli_strings() {
        assertThat(ids(TemplateQuery.parse(
                        Map.of("use_ssh", Map.of("eq", true), "recommended", Map.of("eq", "true")), null)))
                .containsExactly(3L);
        assertThat(ids(TemplateQuery.parse(Map.of("count_created", Map.of("gte", "5")), null)))
                .containsExactly(1L, 2L);
        assertThat(ids(TemplateQuery.parse(Map.of("name", Map.of("in", List.of("jax", "tf"))), null)))
                .containsExactly(2L, 3L);
        assertThat(ids(TemplateQuery.parse(
                        Map.of("name", Map.of("notin", List.of("jax")), "id", Map.of("lt", 3)), null)))
                .containsExactly(1L);
        assertThat(ids(TemplateQuery.parse(Map.of("name", "torch"), null))).containsExactly(1L);
    }

    @Test
    void order_by_one_field_either_way_with_the_id_breaking_ties() {
        assertThat(ids(TemplateQuery.parse(null, "count_created"))).containsExactly(3L, 1L, 2L);
        assertThat(ids(TemplateQuery.parse(null, "-count_created"))).containsExactly(2L, 1L, 3L);
        assertThat(ids(TemplateQuery.parse(null, "recommended desc"))).containsExactly(2L, 3L, 1L);
    }

    @Test
    void unknown_fields_and_operators_are_refused_by_name() {
        assertThatThrownBy(() -> TemplateQuery.parse(Map.of("docker_login_pass", Map.of("eq", "x")), null))
                .hasMessageContaining("'docker_login_pass' is not a template search field");
        assertThatThrownBy(() -> TemplateQuery.parse(Map.of("id", Map.of("like", 1)), null))
                .hasMessageContaining("unknown operator 'like'");
        assertThatThrownBy(() -> TemplateQuery.parse(Map.of("use_ssh", Map.of("eq", "yes")), null))
                .hasMessageContaining("true or false");
    }
}
