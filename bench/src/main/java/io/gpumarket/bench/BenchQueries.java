package io.gpumarket.bench;

import java.util.List;

/**
 * The four benchmark queries. The first is the quickstart search of the Vast documentation (one GPU model, so
 * the index skips every other model's partition); the other three are heavier on purpose: none of them can be
 * answered from one GPU model's offers, their filters keep thousands of rows, and they sort by a price that
 * depends on the query.
 *
 * <p>The SQL mirrors the DSL's semantics, including the parts a client does not write: every search without
 * {@code allocated_storage} prices in 8 GB of disk and requires {@code disk_space >= 8}; with it, the given GB
 * and {@code disk_space >= GB}. Prices are computed from the stored micro-dollar columns with the same
 * arithmetic, in the same order, as {@code OfferPricing}, so sorting agrees to the last bit.
 */
public final class BenchQueries {
    private BenchQueries() {}

    /** dph_total for on-demand prices; the one parameter is the allocated storage in GB. */
    private static final String ON_DEMAND_DPH = """
            CROSS JOIN LATERAL (SELECT (o.gpu_price_micros * o.num_gpus) / 1000000.0::float8
                                       + o.storage_micros / 1000000.0::float8 * ?::float8 / 720.0::float8 AS dph_total) p""";

    /** dph_total for bid prices (the minimum bid); the one parameter is the allocated storage in GB. */
    private static final String BID_DPH = """
            CROSS JOIN LATERAL (SELECT (o.min_bid_micros * o.num_gpus) / 1000000.0::float8
                                       + o.storage_micros / 1000000.0::float8 * ?::float8 / 720.0::float8 AS dph_total) p""";

    private static final String PER_DOLLAR = "o.dlperf / greatest(p.dph_total, 0.001::float8)";

    public static final BenchQuery QUICKSTART = new BenchQuery(
            "quickstart",
            "verified, rentable RTX 4090 single GPUs with a direct port, best DLPerf per dollar, top 5",
            """
            {"verified": {"eq": true}, "rentable": {"eq": true}, "gpu_name": {"eq": "RTX 4090"}, "num_gpus": {"eq": 1},
             "direct_port_count": {"gte": 1}, "order": [["dlperf_per_dphtotal", "desc"]], "type": "on-demand", "limit": 5}""",
            """
            SELECT o.*, p.dph_total, %s AS dlperf_per_dphtotal
            FROM bench_offers o
            %s
            WHERE o.vericode = 1 AND o.end_date > ? AND o.gpu_name = ? AND o.num_gpus = 1
              AND o.direct_port_count >= 1 AND o.disk_space >= ?
            ORDER BY dlperf_per_dphtotal DESC, o.id
            LIMIT 5""".formatted(PER_DOLLAR, ON_DEMAND_DPH),
            now -> List.of(8.0, now, "RTX 4090", 8.0));

    public static final BenchQuery RELIABLE_MULTI_GPU = new BenchQuery(
            "reliable_multi_gpu",
            "4+ GPU bundles of any model, reliability > 0.98, verified, under $8/h, best score, top 64",
            """
            {"num_gpus": {"gte": 4}, "reliability": {"gt": 0.98}, "verified": {"eq": true}, "dph_total": {"lt": 8},
             "order": [["score", "desc"]], "limit": 64}""",
            """
            SELECT o.*, p.dph_total, %s * o.reliability AS score
            FROM bench_offers o
            %s
            WHERE o.num_gpus >= 4 AND o.reliability > ? AND o.vericode = 1 AND p.dph_total < ? AND o.disk_space >= ?
            ORDER BY score DESC, o.id
            LIMIT 64""".formatted(PER_DOLLAR, ON_DEMAND_DPH),
            now -> List.of(8.0, 0.98, 8.0, 8.0));

    public static final BenchQuery BIG_MEMORY_NEARBY = new BenchQuery(
            "big_memory_nearby",
            "≥ 40 GB GPUs in US/DE/NL/SE/FI, CUDA ≥ 12, ≥ 1 Gb/s down, cheapest first, top 100",
            """
            {"gpu_ram": {"gte": 40000}, "geolocation": {"in": ["US", "DE", "NL", "SE", "FI"]},
             "cuda_max_good": {"gte": 12}, "inet_down": {"gte": 1000}, "order": [["dph_total", "asc"]], "limit": 100}""",
            """
            SELECT o.*, p.dph_total
            FROM bench_offers o
            %s
            WHERE o.gpu_ram >= 40000 AND o.country = ANY (?) AND o.cuda_max_good >= 12 AND o.inet_down >= 1000
              AND o.disk_space >= ?
            ORDER BY p.dph_total, o.id
            LIMIT 100""".formatted(ON_DEMAND_DPH),
            now -> List.of(8.0, new String[] {"US", "DE", "NL", "SE", "FI"}, 8.0));

    public static final BenchQuery BID_BUNDLES = new BenchQuery(
            "bid_bundles",
            "interruptible 2/4/8-GPU bundles of three popular models with ≥ 500 GB disk, 100 GB priced in, "
                    + "most GPUs then DLPerf per dollar, top 64",
            """
            {"gpu_name": {"in": ["RTX 4090", "RTX 3090", "A100 SXM4"]}, "num_gpus": {"in": [2, 4, 8]},
             "disk_space": {"gte": 500}, "type": "bid", "allocated_storage": 100,
             "order": [["num_gpus", "desc"], ["dlperf_per_dphtotal", "desc"]]}""",
            """
            SELECT o.*, p.dph_total, %s AS dlperf_per_dphtotal
            FROM bench_offers o
            %s
            WHERE o.gpu_name = ANY (?) AND o.num_gpus IN (2, 4, 8) AND o.disk_space >= 500 AND o.disk_space >= ?
            ORDER BY o.num_gpus DESC, dlperf_per_dphtotal DESC, o.id
            LIMIT 64""".formatted(PER_DOLLAR, BID_DPH),
            now -> List.of(100.0, new String[] {"RTX 4090", "RTX 3090", "A100 SXM4"}, 100.0));

    public static final List<BenchQuery> ALL = List.of(QUICKSTART, RELIABLE_MULTI_GPU, BIG_MEMORY_NEARBY, BID_BUNDLES);

    public static BenchQuery named(String name) {
        return ALL.stream()
                .filter(q -> q.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no benchmark query '" + name + "'; known: "
                        + ALL.stream().map(BenchQuery::name).toList()));
    }
}
