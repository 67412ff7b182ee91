package io.gpumarket.server.service;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.search.OfferIndex;
import io.gpumarket.core.search.OfferQuery;
import io.gpumarket.core.search.OfferQueryParser;
import io.gpumarket.core.search.QueryException;
import io.gpumarket.core.search.SearchContext;
import io.gpumarket.core.search.SearchResult;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.server.market.MarketIndex;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Offer search: the Vast DSL parsed in core, answered from the in-memory market index. */
public final class SearchService {
    private final MarketIndex market;
    private final RentedMachines rented;
    private final Clock clock;

    public SearchService(MarketIndex market, RentedMachines rented, Clock clock) {
        this.market = market;
        this.rented = rented;
        this.clock = clock;
    }

    /** @param caller null for an anonymous search (no {@code rented} machines then) */
    public SearchResult search(Map<String, Object> dsl, Principal caller) {
        return search(parse(dsl), caller);
    }

    /** The DSL parsed (a 400 {@code invalid_args} when it is not a valid query); the same body always parses the same. */
    public OfferQuery parse(Map<String, Object> dsl) {
        try {
            return OfferQueryParser.parse(dsl);
        } catch (QueryException e) {
            throw new DomainException.BadRequest("invalid_args", e.getMessage());
        }
    }

    /** Answers a parsed query for {@code caller}, at the clock's now. */
    public SearchResult search(OfferQuery query, Principal caller) {
        return search(query, moment(caller));
    }

    /**
     * The market as it stands (an immutable snapshot, replaced on every change) and the caller's context (the
     * second, the machines it rents): with the query, everything a search's answer depends on.
     */
    public record Moment(OfferIndex market, SearchContext context) {}

    public Moment moment(Principal caller) {
        // The per-caller `rented` column: machines where the caller holds an instance (kept in memory per account).
        Set<Long> rentedByCaller = caller == null ? Set.of() : rented.of(caller.userId());
        return new Moment(market.snapshot(), SearchContext.at(clock.instant(), rentedByCaller));
    }

    public SearchResult search(OfferQuery query, Moment at) {
        return at.market().search(query, at.context());
    }

    /** Every GPU model on offer or in the catalog, sorted: the list the vastai CLI fetches at start. */
    public Set<String> gpuNames() {
        Set<String> names = new TreeSet<>(market.catalog().names());
        names.addAll(market.gpuNamesSeen());
        return names;
    }
}
