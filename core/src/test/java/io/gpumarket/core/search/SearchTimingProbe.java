package io.gpumarket.core.search;

import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.offer.OfferSlot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Rough single-threaded timings on a 100,000-machine market, printed, not asserted (the real benchmark lives in
 * {@code bench}). Each figure is the best of several batches, next to a bare loop over as many rows as the
 * RTX 4090 partition holds, so numbers from a busy machine can be read relative to its speed. Run with
 * {@code ./mvnw -pl core test -Dtest=SearchTimingProbe -Dgpumarket.timing=true}.
 */
@EnabledIfSystemProperty(named = "gpumarket.timing", matches = "true")
class SearchTimingProbe {
    @Test
    void print_timings() {
        long t0 = System.nanoTime();
        Markets.Market market = Markets.large(42, 100_000);
        // -Dgpumarket.chunks=64,512,1000000 compares chunk sizes in one run (1000000: one chunk per GPU model).
        for (String chunk : System.getProperty("gpumarket.chunks", String.valueOf(OfferIndex.DEFAULT_CHUNK))
                .split(",")) {
            long t1 = System.nanoTime();
            OfferIndex index =
                    OfferIndex.build(Markets.CATALOG, market.machines(), market.slots(), Integer.parseInt(chunk));
            long t2 = System.nanoTime();
            System.out.printf(
                    "market: %d machines, %d offers; index of %d chunks (%s machines each) built in %d ms%n",
                    market.machines().size(), index.size(), index.chunks(), chunk, (t2 - t1) / 1_000_000);
            print(market, index);
        }
    }

    private static void print(Markets.Market market, OfferIndex index) {
        SearchContext ctx = new SearchContext(Markets.NOW, Set.of());
        Map<String, Map<String, Object>> queries = new LinkedHashMap<>();
        queries.put(
                "quickstart (hello-world)",
                Map.of(
                        "verified",
                        Map.of("eq", true),
                        "rentable",
                        Map.of("eq", true),
                        "gpu_name",
                        Map.of("eq", "RTX 4090"),
                        "num_gpus",
                        Map.of("eq", 1),
                        "direct_port_count",
                        Map.of("gte", 1),
                        "order",
                        List.of(List.of("dlperf_per_dphtotal", "desc")),
                        "type",
                        "on-demand",
                        "limit",
                        5));
        queries.put(
                "CLI defaults, full scan",
                Map.of(
                        "verified",
                        Map.of("eq", true),
                        "external",
                        Map.of("eq", false),
                        "rentable",
                        Map.of("eq", true),
                        "rented",
                        Map.of("eq", false),
                        "order",
                        List.of(List.of("score", "desc")),
                        "type",
                        "on-demand",
                        "allocated_storage",
                        5.0));
        queries.put(
                "reliability, 4 GPUs, TW/SE",
                Map.of(
                        "verified",
                        Map.of("eq", true),
                        "reliability",
                        Map.of("gt", "0.99"),
                        "num_gpus",
                        Map.of("eq", "4"),
                        "geolocation",
                        Map.of("in", List.of("TW", "SE")),
                        "order",
                        List.of(List.of("num_gpus", "desc"), List.of("dlperf_per_dphtotal", "desc"))));
        queries.put("everything, 1000 by price", Map.of("order", List.of(List.of("dph_total", "asc")), "limit", 1000));
        System.out.printf("%-30s %9.1f µs%n", "bare loop, 23k rows", bareLoop(23_000));
        for (Map.Entry<String, Map<String, Object>> e : queries.entrySet()) {
            OfferQuery q = OfferQueryParser.parse(e.getValue());
            int found = index.search(q, ctx).offers().size();
            System.out.printf(
                    "%-30s %9.1f µs (%d offers a page)%n", e.getKey(), best(() -> index.search(q, ctx)), found);
        }
        Machine m = market.machines().get(50_000);
        List<OfferSlot> slots =
                market.slots().stream().filter(s -> s.machineId() == m.id()).toList();
        System.out.printf(
                "%-30s %9.1f µs (a %s machine)%n",
                "withMachine",
                best(() -> index.withMachine(m.withReliability(0.5), slots)),
                m.spec().gpuName());
    }

    private static double best(Runnable r) {
        for (int i = 0; i < 300; i++) r.run();
        double best = Double.MAX_VALUE;
        for (int b = 0; b < 10; b++) {
            long start = System.nanoTime();
            for (int i = 0; i < 50; i++) r.run();
            best = Math.min(best, (System.nanoTime() - start) / 1000.0 / 50);
        }
        return best;
    }

    private static double bareLoop(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = i % 3;
        long[] sink = new long[1];
        return best(() -> {
            int[] rows = new int[n];
            for (int i = 0; i < n; i++) rows[i] = i;
            int kept = 0;
            for (int i = 0; i < n; i++) {
                rows[kept] = rows[i];
                kept += v[rows[i]] == 1.0 ? 1 : 0;
            }
            sink[0] += kept;
        });
    }
}
