package io.gpumarket.core.search;

/**
 * One sort key of {@code order}. Nulls sort last in both directions; offers equal on every key are ordered by
 * id ascending so that pages are stable.
 *
 * @param key   the column as the client sent it
 * @param field the offer field it sorts by (canonical name)
 */
public record OrderKey(String key, String field, boolean descending) {}
