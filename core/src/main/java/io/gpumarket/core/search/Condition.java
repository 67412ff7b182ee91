package io.gpumarket.core.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One operator on one column, as parsed: {@code "num_gpus": {"gte": "1"}} is {@code (num_gpus, GTE, [1.0])}.
 * A key with several operators gives several conditions; all conditions of a query must hold.
 *
 * <p>Values are already in the column's terms: a {@code Double} for number and boolean columns (booleans are
 * 1.0 and 0.0; alias units applied, e.g. {@code gpu_ram_GB} ×1000), a normalized {@code String} for text
 * columns (see {@link SearchText}), or {@code null}. Single-value operators have exactly one value.
 *
 * <p>Null works like SQL's: an offer whose value is null satisfies {@code eq null} and an {@code in} list that
 * holds null, and nothing else; {@code neq null} holds for every non-null value; an ordering comparison with
 * null ({@code gt null}) holds for nothing. On a column that is never null, {@code eq null} therefore matches
 * nothing and {@code neq null} everything. Text ordering comparisons compare normalized text. On
 * {@code geolocation} a two-letter value is a country code and compares with the offer's country code;
 * longer text compares with the whole "City, CC" text.
 *
 * @param key   the key as the client sent it (an alias, a virtual column or a control key such as
 *              {@code allocated_storage}), for messages and explain
 * @param field the offer field it filters (canonical name)
 * @param raw   the value as the client sent it, for explain
 */
public record Condition(String key, String field, Op op, List<Object> values, Object raw) {
    public Condition {
        values = Collections.unmodifiableList(new ArrayList<>(values));
        if (!op.takesList() && values.size() != 1) {
            throw new IllegalArgumentException(op.wire() + " takes one value, got " + values.size());
        }
    }

    /** The single value of a non-list operator. */
    public Object value() {
        return values.get(0);
    }
}
