package io.gpumarket.core.search;

import io.gpumarket.core.offer.PriceType;
import java.util.List;

/**
 * A parsed search: every condition in the order the client wrote it (all must hold), the sort, the page size,
 * which prices to show, the disk size priced in, and whether to explain the filtering.
 */
public record OfferQuery(
        List<Condition> conditions,
        List<OrderKey> order,
        int limit,
        PriceType type,
        double allocatedStorageGb,
        boolean explain) {
    public static final int DEFAULT_LIMIT = 64;
    public static final int MAX_LIMIT = 10_000;

    public OfferQuery {
        conditions = List.copyOf(conditions);
        order = List.copyOf(order);
        if (limit < 1 || limit > MAX_LIMIT)
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", got " + limit);
    }
}
