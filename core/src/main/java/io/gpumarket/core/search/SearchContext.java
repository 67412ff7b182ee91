package io.gpumarket.core.search;

import io.gpumarket.core.offer.PriceContext;
import java.time.Instant;
import java.util.Set;

/**
 * What a search needs to know about the moment and the caller, beyond the query: the time (from the
 * server's injected clock) and the machines the caller already rents on (for {@code rented}).
 */
public record SearchContext(long nowEpochSeconds, Set<Long> rentedMachineIds) {
    public SearchContext {
        rentedMachineIds = rentedMachineIds == null ? Set.of() : Set.copyOf(rentedMachineIds);
    }

    public static SearchContext at(Instant now) {
        return new SearchContext(now.getEpochSecond(), Set.of());
    }

    public static SearchContext at(Instant now, Set<Long> rentedMachineIds) {
        return new SearchContext(now.getEpochSecond(), rentedMachineIds);
    }

    /** The prices offers are shown (and filtered) at for this query. */
    public PriceContext priceContext(OfferQuery query) {
        return new PriceContext(query.type(), query.allocatedStorageGb(), nowEpochSeconds, rentedMachineIds);
    }
}
