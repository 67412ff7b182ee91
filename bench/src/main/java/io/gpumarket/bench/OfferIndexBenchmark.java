package io.gpumarket.bench;

import io.gpumarket.core.catalog.GpuCatalog;
import io.gpumarket.core.search.OfferIndex;
import io.gpumarket.core.search.OfferQueryParser;
import io.gpumarket.core.search.SearchContext;
import io.gpumarket.core.search.SearchResult;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The benchmark queries on the in-memory index under JMH, for error bars and percentiles from JMH's own
 * sampling: {@code java -jar bench/target/gpumarket-bench.jar jmh OfferIndexBenchmark}. The same work as
 * {@link IndexHarness} times (parse, search, render the page), on the same synthetic market.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class OfferIndexBenchmark {
    @Param({"quickstart", "reliable_multi_gpu", "big_memory_nearby", "bid_bundles"})
    public String query;

    @Param({"100000"})
    public int machines;

    private OfferIndex index;
    private Map<String, Object> dsl;
    private SearchContext context;

    @Setup
    public void setUp() {
        SyntheticMarket market = SyntheticMarket.generate(SyntheticMarket.DEFAULT_SEED, machines, SyntheticMarket.NOW);
        index = market.index(GpuCatalog.load());
        dsl = BenchQueries.named(query).dsl();
        context = SearchContext.at(Instant.ofEpochSecond(market.now()));
    }

    @Benchmark
    public SearchResult search() {
        return index.search(OfferQueryParser.parse(dsl), context);
    }
}
