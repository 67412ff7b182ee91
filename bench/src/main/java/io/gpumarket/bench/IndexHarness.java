package io.gpumarket.bench;

import io.gpumarket.core.search.OfferIndex;
import io.gpumarket.core.search.OfferQueryParser;
import io.gpumarket.core.search.SearchContext;
import io.gpumarket.core.search.SearchResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Times searches on the in-memory index in this thread, the way the search route runs them: the DSL map is
 * parsed and searched and the page rendered on every call (only the JSON encoding is left out). A warm-up
 * lets the JIT compile the filter loops before anything is recorded.
 */
public final class IndexHarness {
    /** The outcome for one query: latencies and the page's offer ids (for the comparison with SQL). */
    public record Result(Samples samples, List<Long> ids) {}

    private final OfferIndex index;
    private final SearchContext context;
    private final Settings settings;
    /** Keeps every search's result alive, so the JIT cannot drop the work as unused. */
    private long sink;

    /**
     * @param warmupNanos time spent warming up each query before timing
     * @param minRuns     timed runs at least …
     * @param minNanos    … and at least this long, whichever takes more
     */
    public record Settings(long warmupNanos, int minRuns, long minNanos) {}

    public IndexHarness(OfferIndex index, long nowEpochSeconds, Settings settings) {
        this.index = index;
        this.context = SearchContext.at(Instant.ofEpochSecond(nowEpochSeconds));
        this.settings = settings;
    }

    public SearchResult search(Map<String, Object> dsl) {
        return index.search(OfferQueryParser.parse(dsl), context);
    }

    public Result measure(BenchQuery query) {
        Map<String, Object> dsl = query.dsl();
        long warmupEnd = System.nanoTime() + settings.warmupNanos();
        while (System.nanoTime() < warmupEnd) sink += search(dsl).offers().size();
        Samples samples = new Samples();
        long start = System.nanoTime();
        while (samples.count() < settings.minRuns() || System.nanoTime() - start < settings.minNanos()) {
            long t0 = System.nanoTime();
            SearchResult result = search(dsl);
            samples.add(System.nanoTime() - t0);
            sink += result.offers().size();
        }
        return new Result(samples, ids(search(dsl)));
    }

    static List<Long> ids(SearchResult result) {
        return result.offers().stream()
                .map(o -> ((Number) o.get("id")).longValue())
                .toList();
    }
}
