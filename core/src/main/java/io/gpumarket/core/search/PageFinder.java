package io.gpumarket.core.search;

import io.gpumarket.core.offer.PriceContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Finds a search's page without counting what each condition removes (that is {@link Funnel}), looking at as
 * few rows as the sort order allows. Partitions that a condition excludes whole (by GPU name, or by the
 * bounds of a number column) are never scanned. Then, by the first sort key:
 * <ul>
 *   <li>a key that moves with the price (the default {@code score}, {@code dph_total}, DLPerf per dollar …):
 *       the size groups are walked cheapest first and the walk stops once no row ahead can enter the page
 *       ({@link PriceWalk}); when the conditions are so selective that the walk would read most rows, it gives
 *       up early and the partitions are scanned as below;</li>
 *   <li>{@code num_gpus}: the bundle sizes are visited in sort order and the search stops after the size
 *       that fills the page; within a size, the second key is walked by price when it can be;</li>
 *   <li>anything else: partitions are scanned whole, those whose bounds may hold the best values first, and
 *       those whose bounds cannot beat a full page are skipped.</li>
 * </ul>
 */
final class PageFinder {
    private PageFinder() {}

    /** Fills the page. */
    static void run(Collection<Partition> partitions, OfferQuery query, PriceContext prices, TopK top) {
        List<Candidates> candidates = candidates(partitions, query.conditions(), prices);
        Scratch scratch = new Scratch();
        List<OrderKey> order = query.order();
        if (top.ordersByBundleSize()) {
            bySize(candidates, top, order.size() > 1 ? PriceOrder.of(order.get(1), prices) : null, scratch);
            return;
        }
        PriceOrder byPrice = order.isEmpty() ? null : PriceOrder.of(order.get(0), prices);
        if (byPrice != null) {
            PriceWalk walk = new PriceWalk(byPrice, 0, Double.NaN, top);
            for (Candidates c : candidates) {
                for (int k = 0; k < c.groups.length; k++) if (c.groups[k]) walk.add(c.scan, k);
            }
            if (walk.run(scratch)) return;
        }
        byPartition(candidates, top, scratch);
    }

    /** The partitions that no condition excludes whole, with their conditions bound and the sizes wanted. */
    private static List<Candidates> candidates(
            Collection<Partition> partitions, List<Condition> conditions, PriceContext prices) {
        // Conditions on num_gpus choose the size groups a scan reads (Partition#groups) instead of filtering rows.
        List<NumTest> sizeTests = new ArrayList<>();
        RowFilter.Prepared[] prepared = new RowFilter.Prepared[conditions.size()];
        for (int i = 0; i < prepared.length; i++) {
            Condition c = conditions.get(i);
            boolean bySize = c.field().equals("num_gpus");
            if (bySize) sizeTests.add(new NumTest(c));
            prepared[i] = bySize ? RowFilter.Prepared.ALREADY_APPLIED : new RowFilter.Prepared(c);
        }
        // A partition holds one GPU model, so a condition on gpu_name decides all of a model's chunks alike: it is
        // tested once per model, and the chunks of a model it excludes are passed over without being looked at
        // (a market of 100,000 machines has ~200 chunks; a search for one model reads only that model's).
        List<RowFilter.Prepared> byModel = new ArrayList<>();
        for (int i = 0; i < prepared.length; i++)
            if (conditions.get(i).field().equals("gpu_name")) byModel.add(prepared[i]);
        String model = null;
        boolean modelExcluded = false;
        List<Candidates> candidates = new ArrayList<>();
        for (Partition p : partitions) {
            if (!byModel.isEmpty() && !p.gpuName.equals(model)) {
                model = p.gpuName;
                modelExcluded = false;
                for (RowFilter.Prepared f : byModel) modelExcluded |= f.excludes(p, prices);
            }
            if (modelExcluded) continue;
            boolean[] groups = p.groups(sizeTests);
            if (!any(groups)) continue;
            PartitionScan scan = PartitionScan.bind(prepared, p, prices);
            if (scan != null) candidates.add(new Candidates(scan, groups));
        }
        return candidates;
    }

    /**
     * Scans partitions whole, those that may hold the best offers first: the page fills with good ones early,
     * and partitions whose bounds say they cannot improve a full page are then skipped (sorting by gpu_ram, the
     * partitions of the largest memory fill the page and the rest need not be read).
     */
    private static void byPartition(List<Candidates> candidates, TopK top, Scratch scratch) {
        List<Bounded> ranked = new ArrayList<>();
        for (Candidates c : candidates) ranked.add(new Bounded(c, top.firstKeyBounds(c.scan.partition)));
        ranked.sort((a, b) -> a.bounds == null || b.bounds == null
                ? Boolean.compare(a.bounds != null, b.bounds != null)
                : top.compareFirst(top.best(a.bounds), top.best(b.bounds)));
        for (Bounded r : ranked) {
            Candidates c = r.candidates;
            if (!top.mayTake(r.bounds)) continue;
            int[] rows = scratch.rows(c.scan.partition.rowCount());
            int n = c.scan.select(c.groups, rows, scratch);
            if (n > 0) top.add(c.scan.partition, rows, n);
        }
    }

    /** A partition to scan: its bound conditions and the bundle sizes wanted. */
    private record Candidates(PartitionScan scan, boolean[] groups) {}

    /** A partition to scan and the bounds of its first sort key (null when unknown). */
    private record Bounded(Candidates candidates, ZoneMap.Bounds bounds) {}

    /**
     * When the first sort key is num_gpus, the bundle sizes are visited in sort order across partitions; once
     * the page is full after one size, every offer of the next sizes would rank after all of it: stop there.
     */
    private static void bySize(List<Candidates> candidates, TopK top, PriceOrder thenByPrice, Scratch scratch) {
        TreeSet<Integer> sizes = new TreeSet<>();
        for (Candidates c : candidates) {
            int[] bundleSizes = c.scan.partition.bundleSizes;
            for (int k = 0; k < bundleSizes.length; k++) if (c.groups[k]) sizes.add(bundleSizes[k]);
        }
        for (int size : top.largestBundlesFirst() ? sizes.descendingSet() : sizes) {
            // Within one size the second sort key decides: walk it by price when it moves with the price.
            PriceWalk walk = thenByPrice == null ? null : new PriceWalk(thenByPrice, 1, size, top);
            List<Candidates> withSize = new ArrayList<>();
            for (Candidates c : candidates) {
                int k = Arrays.binarySearch(c.scan.partition.bundleSizes, size);
                if (k < 0 || !c.groups[k]) continue;
                withSize.add(c);
                if (walk != null) walk.add(c.scan, k);
            }
            if (walk == null || !walk.run(scratch)) {
                for (Candidates c : withSize) {
                    boolean[] one = new boolean[c.groups.length];
                    one[Arrays.binarySearch(c.scan.partition.bundleSizes, size)] = true;
                    int[] rows = scratch.rows(c.scan.partition.rowCount());
                    int n = c.scan.select(one, rows, scratch);
                    if (n > 0) top.add(c.scan.partition, rows, n);
                }
            }
            if (top.full()) return;
        }
    }

    private static boolean any(boolean[] flags) {
        for (boolean f : flags) if (f) return true;
        return false;
    }
}
