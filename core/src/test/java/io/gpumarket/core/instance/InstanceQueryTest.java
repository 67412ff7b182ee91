package io.gpumarket.core.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstanceQueryTest {
    static List<Map<String, Object>> rows(int n) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (long id = 1; id <= n; id++) {
            Map<String, Object> r = new HashMap<>();
            r.put("id", id);
            r.put("label", id % 2 == 0 ? "even" : null);
            r.put("actual_status", id <= 3 ? "running" : "stopped");
            r.put("dph_total", 0.4);
            rows.add(r);
        }
        return rows;
    }

    static List<Object> ids(InstanceQuery.Page page) {
        return page.rows().stream().map(r -> r.get("id")).toList();
    }

    @Test
    void pages_continue_strictly_after_the_previous_key() {
        InstanceQuery q = InstanceQuery.parse(null, null, 4, null);
        InstanceQuery.Page first = q.page(rows(10), null);
        InstanceQuery.Page second = q.page(rows(10), first.nextKey());
        InstanceQuery.Page third = q.page(rows(10), second.nextKey());

        assertThat(ids(first)).containsExactly(1L, 2L, 3L, 4L);
        assertThat(ids(second)).containsExactly(5L, 6L, 7L, 8L);
        assertThat(ids(third)).containsExactly(9L, 10L);
        assertThat(third.nextKey()).isNull();
        assertThat(first.total()).isEqualTo(10);
    }

    @Test
    void a_row_deleted_between_pages_shifts_nothing() {
        InstanceQuery q = InstanceQuery.parse(null, null, 4, null);
        InstanceQuery.Page first = q.page(rows(10), null);
        List<Map<String, Object>> fewer = new ArrayList<>(rows(10));
        fewer.remove(1);

        assertThat(ids(q.page(fewer, first.nextKey()))).containsExactly(5L, 6L, 7L, 8L);
    }

    @Test
    void filters_take_string_numbers_lists_and_null_labels() {
        assertThat(InstanceQuery.parse(Map.of("id", Map.of("gte", "8")), null, null, null)
                        .page(rows(10), null)
                        .total())
                .isEqualTo(3);
        List<Object> nullOrEven = new ArrayList<>();
        nullOrEven.add(null);
        assertThat(InstanceQuery.parse(Map.of("label", Map.of("in", nullOrEven)), null, null, null)
                        .page(rows(10), null)
                        .total())
                .isEqualTo(5);
        assertThat(InstanceQuery.parse(
                                Map.of("actual_status", Map.of("neq", "running"), "label", Map.of("eq", "even")),
                                null,
                                null,
                                null)
                        .page(rows(10), null)
                        .total())
                .isEqualTo(4);
        assertThat(InstanceQuery.parse(Map.of("id", Map.of("notin", List.of(1, "2"))), null, null, null)
                        .page(rows(10), null)
                        .total())
                .isEqualTo(8);
    }

    @Test
    void order_is_applied_with_id_as_the_tiebreak() {
        InstanceQuery q = InstanceQuery.parse(null, List.of(Map.of("col", "label", "dir", "desc")), 25, null);

        assertThat(ids(q.page(rows(6), null))).containsExactly(2L, 4L, 6L, 1L, 3L, 5L);
    }

    @Test
    void computed_and_unknown_fields_are_refused_as_vast_refuses_them() {
        assertThatThrownBy(() -> InstanceQuery.parse(Map.of("dph_total", Map.of("lt", 1)), null, null, null))
                .hasMessage("Error in query parameters: dph_total is not a valid search key");
        assertThatThrownBy(() -> InstanceQuery.parse(null, List.of(Map.of("col", "score")), null, null))
                .hasMessageContaining("score is not a valid order key");
        assertThatThrownBy(() -> InstanceQuery.parse(Map.of("id", Map.of("eq", "one")), null, null, null))
                .hasMessageContaining("takes a number");
    }

    @Test
    void limit_is_25_by_default_at_most_25_and_5_when_not_positive() {
        assertThat(InstanceQuery.parse(null, null, null, null).limit()).isEqualTo(25);
        assertThat(InstanceQuery.parse(null, null, "100", null).limit()).isEqualTo(25);
        assertThat(InstanceQuery.parse(null, null, -3, null).limit()).isEqualTo(5);
    }

    @Test
    void a_key_of_the_wrong_shape_is_an_invalid_token() {
        InstanceQuery q = InstanceQuery.parse(null, null, 4, null);
        assertThatThrownBy(() -> q.page(rows(3), List.of("x"))).hasMessageContaining("after_token");
        assertThatThrownBy(() -> q.page(rows(3), List.of(1, 2))).hasMessageContaining("after_token");
    }
}
