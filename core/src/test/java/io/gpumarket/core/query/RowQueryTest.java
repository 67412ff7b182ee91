package io.gpumarket.core.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.query.RowQuery.Kind;
import io.gpumarket.core.query.RowQuery.Order;
import io.gpumarket.core.search.Op;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowQueryTest {
    private static final RowQuery.Schema SCHEMA = new RowQuery.Schema(
            Map.of("id", Kind.NUMBER, "name", Kind.STRING, "ssh", Kind.BOOL, "price", Kind.NUMBER),
            "bad_query",
            "In the query: ");

    private static Map<String, Object> row(long id, String name, Boolean ssh, Double price) {
        Map<String, Object> r = new HashMap<>();
        r.put("id", id);
        r.put("name", name);
        r.put("ssh", ssh);
        r.put("price", price);
        return r;
    }

    private static final List<Map<String, Object>> ROWS = List.of(
            row(1, "torch", true, 0.5), row(2, "jax", false, null), row(3, "tf", true, 2.0), row(4, null, false, 1.0));

    private static List<Object> ids(Map<String, ?> filters, Order... order) {
        RowQuery q = new RowQuery(SCHEMA, SCHEMA.filters(filters, SCHEMA::kind), List.of(order));
        return q.apply(ROWS).stream().map(r -> r.get("id")).toList();
    }

    @Test
    void every_operator_compares_by_the_columns_kind() {
        assertThat(ids(Map.of("price", Map.of("gt", 0.5)))).containsExactly(3L, 4L);
        assertThat(ids(Map.of("price", Map.of("gte", "0.5")))).containsExactly(1L, 3L, 4L);
        assertThat(ids(Map.of("price", Map.of("lt", 2)))).containsExactly(1L, 4L);
        assertThat(ids(Map.of("price", Map.of("lte", 2)))).containsExactly(1L, 3L, 4L);
        assertThat(ids(Map.of("name", Map.of("eq", "jax")))).containsExactly(2L);
        assertThat(ids(Map.of("name", Map.of("neq", "jax")))).containsExactly(1L, 3L, 4L);
        assertThat(ids(Map.of("name", Map.of("in", List.of("tf", "torch"))))).containsExactly(1L, 3L);
        assertThat(ids(Map.of("name", Map.of("notin", "tf")))).containsExactly(1L, 2L, 4L);
        assertThat(ids(Map.of("ssh", "true"))).containsExactly(1L, 3L);
        assertThat(ids(Map.of("id", Map.of("gte", "2", "lt", 4)))).containsExactly(2L, 3L);
    }

    @Test
    void a_null_equals_only_null_and_never_passes_a_range() {
        Map<String, Object> isNull = new HashMap<>();
        isNull.put("eq", null);
        assertThat(ids(Map.of("name", isNull))).containsExactly(4L);
        assertThat(ids(Map.of("price", Map.of("lt", 100)))).containsExactly(1L, 3L, 4L);
    }

    @Test
    void nulls_sort_first_ascending_and_last_descending_with_later_columns_breaking_ties() {
        assertThat(ids(Map.of(), new Order("price", false))).containsExactly(2L, 1L, 4L, 3L);
        assertThat(ids(Map.of(), new Order("price", true))).containsExactly(3L, 4L, 1L, 2L);
        assertThat(ids(Map.of(), new Order("ssh", true), new Order("id", true))).containsExactly(3L, 1L, 4L, 2L);
    }

    @Test
    void operators_are_read_in_any_case_and_operands_as_the_columns_kind() {
        List<RowQuery.Filter> f = SCHEMA.filters(Map.of("price", Map.of("GTE", " 1.5 ")), SCHEMA::kind);
        assertThat(f).containsExactly(new RowQuery.Filter("price", Op.GTE, 1.5));
        assertThat(SCHEMA.operand("ssh", Kind.BOOL, Op.IN, List.of("TRUE", false)))
                .isEqualTo(List.of(true, false));
    }

    @Test
    void refusals_carry_the_routes_code_and_prefix_and_name_the_value() {
        assertThatThrownBy(() -> SCHEMA.filters(Map.of("price", Map.of("like", 1)), SCHEMA::kind))
                .isInstanceOfSatisfying(
                        DomainException.BadRequest.class,
                        e -> assertThat(e.code()).isEqualTo("bad_query"))
                .hasMessage(
                        "In the query: unknown operator 'like' for price; use eq, neq, gt, gte, lt, lte, in or notin");
        assertThatThrownBy(() -> SCHEMA.filters(Map.of("price", Map.of("eq", "cheap")), SCHEMA::kind))
                .hasMessage("In the query: price takes a number, got 'cheap'");
        assertThatThrownBy(() -> SCHEMA.filters(Map.of("price", Map.of("eq", "NaN")), SCHEMA::kind))
                .hasMessage("In the query: price takes a finite number, got 'NaN'");
        assertThatThrownBy(() -> SCHEMA.filters(Map.of("ssh", Map.of("eq", "yes")), SCHEMA::kind))
                .hasMessage("In the query: ssh takes true or false, got 'yes'");
        assertThatThrownBy(() -> SCHEMA.filters(Map.of("name", Map.of("eq", List.of("a"))), SCHEMA::kind))
                .hasMessage("In the query: name takes a single value, got [a]");
    }

    @Test
    void a_column_the_route_does_not_offer_is_refused_in_the_routes_words() {
        assertThatThrownBy(() -> SCHEMA.filters(Map.of("score", 1), c -> {
                    throw new DomainException.BadRequest("nope", c + " is not offered");
                }))
                .hasMessage("score is not offered");
    }
}
