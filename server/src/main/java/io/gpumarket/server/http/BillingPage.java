package io.gpumarket.server.http;

import io.gpumarket.core.error.DomainException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * One page of a billing list ordered by (key, id), ascending or descending, continuing after the row a token
 * names. Keyset, not offset: rows added between two page requests do not shift the pages.
 *
 * @param total how many rows the whole list has
 */
record BillingPage<T>(List<T> rows, int total, String nextToken) {

    static <T> BillingPage<T> of(
            List<T> all,
            ToLongFunction<T> key,
            ToLongFunction<T> id,
            boolean descending,
            String order,
            List<Object> after,
            int limit) {
        Comparator<T> asc = Comparator.<T>comparingLong(key).thenComparingLong(id);
        List<T> sorted = new ArrayList<>(all);
        sorted.sort(descending ? asc.reversed() : asc);
        int start = 0;
        if (after != null) {
            long[] k = key(after);
            while (start < sorted.size() && !beyond(sorted.get(start), key, id, k, descending)) start++;
        }
        int end = Math.min(sorted.size(), start + limit);
        List<T> rows = sorted.subList(start, end);
        String next = null;
        if (end < sorted.size()) {
            T last = rows.get(rows.size() - 1);
            next = BillingQuery.token(order, List.of(key.applyAsLong(last), id.applyAsLong(last)));
        }
        return new BillingPage<>(List.copyOf(rows), all.size(), next);
    }

    private static <T> boolean beyond(
            T row, ToLongFunction<T> key, ToLongFunction<T> id, long[] k, boolean descending) {
        int c = Long.compare(key.applyAsLong(row), k[0]);
        if (c == 0) c = Long.compare(id.applyAsLong(row), k[1]);
        return descending ? c < 0 : c > 0;
    }

    private static long[] key(List<Object> after) {
        if (after.size() == 2 && after.get(0) instanceof Number a && after.get(1) instanceof Number b) {
            return new long[] {a.longValue(), b.longValue()};
        }
        throw new DomainException.BadRequest("invalid_token", "Invalid pagination token");
    }
}
