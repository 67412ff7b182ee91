package io.gpumarket.core.search;

import java.util.PriorityQueue;

/**
 * Finds the page for a sort key that moves with the price ({@link PriceOrder}) by walking size groups in
 * price order, in batches, always in the group whose rows ahead may hold the best key, and stopping when
 * none can beat the worst offer of a full page. Every row it skips ranks strictly after that offer, so the
 * page is the one a full scan finds.
 *
 * <p>A walk reads rows in price order, scattered over the columns, and tests every condition per row; a
 * scan reads them in order and tests machine conditions per machine, several times faster a row. So when
 * the conditions are selective enough that filling the page would take a large part of the rows, the walk
 * gives up and the caller scans instead (the rows already walked are harmless to {@link TopK}).
 */
final class PriceWalk {
    /** The first batch of a group; each further batch of the same group is twice as large, up to MAX_BATCH. */
    private static final int FIRST_BATCH = 64;

    private static final int MAX_BATCH = 4096;

    private final PriceOrder order;
    /** Which sort key the walk is ordered by: 0, or 1 when walking one bundle size of a num_gpus-first order. */
    private final int key;
    /** The value of the sort keys before {@code key} that every walked row has (its num_gpus when key is 1). */
    private final double prior;

    private final TopK top;
    private final PriorityQueue<Cursor> queue;
    /** Rows in all groups, walked so far, and walked that passed every condition. */
    private long total;

    private long walked;
    private long passed;
    /** Rows walked before the walk judges whether to go on, and the share of all rows it may expect to walk. */
    private static final int JUDGE_AFTER = 256;

    private static final double MOST = 0.4;

    PriceWalk(PriceOrder order, int key, double prior, TopK top) {
        this.order = order;
        this.key = key;
        this.prior = prior;
        this.top = top;
        // Groups without bounds first (they are walked to the end), then the best bound first.
        this.queue = new PriorityQueue<>((a, b) -> a.bound == null || b.bound == null
                ? Boolean.compare(a.bound != null, b.bound != null)
                : top.compareAt(key, a.best, b.best));
    }

    /** Adds a group of a partition to walk. */
    void add(PartitionScan scan, int group) {
        Cursor c = new Cursor(
                scan,
                order.rows(scan.partition, group),
                order.prices(scan.partition),
                order.bound(scan.partition, group),
                order.cheapestFirst());
        if (c.list.length > 0) {
            c.aim();
            queue.add(c);
            total += c.list.length;
        }
    }

    /** Walks the groups; false when it gave up before the page was settled (then scan them instead). */
    boolean run(Scratch scratch) {
        while (!queue.isEmpty()) {
            Cursor c = queue.poll();
            if (c.bound != null && !top.mayTake(key, c.best, prior)) return true; // nothing ahead, anywhere, can enter
            int[] rows = scratch.rows(Math.min(c.batch, c.list.length - c.walked));
            int n = c.take(rows);
            walked += n;
            n = c.scan.filter(rows, n);
            passed += n;
            if (n > 0) top.add(c.scan.partition, rows, n);
            if (c.walked < c.list.length) {
                c.aim();
                queue.add(c);
            }
            if (walked >= JUDGE_AFTER && !top.full() && (double) walked * top.limit() > MOST * total * passed)
                return false;
        }
        return true;
    }

    /** Where the walk stands in one group. */
    private static final class Cursor {
        final PartitionScan scan;
        final int[] list;
        final double[] prices;
        final PriceOrder.Bound bound;
        final boolean forward;
        int walked;
        int batch = FIRST_BATCH;
        /** The best key of the rows not yet walked (with a bound). */
        double best;

        Cursor(PartitionScan scan, int[] list, double[] prices, PriceOrder.Bound bound, boolean forward) {
            this.scan = scan;
            this.list = list;
            this.prices = prices;
            this.bound = bound;
            this.forward = forward;
        }

        /** The next row's price bounds every row after it. */
        void aim() {
            if (bound != null) best = bound.best(prices[list[forward ? walked : list.length - 1 - walked]]);
        }

        int take(int[] rows) {
            int n = Math.min(batch, list.length - walked);
            if (forward) {
                System.arraycopy(list, walked, rows, 0, n);
            } else {
                for (int i = 0; i < n; i++) rows[i] = list[list.length - 1 - walked - i];
            }
            walked += n;
            batch = Math.min(MAX_BATCH, batch * 2);
            return n;
        }
    }
}
