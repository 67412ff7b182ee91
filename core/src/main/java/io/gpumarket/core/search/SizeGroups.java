package io.gpumarket.core.search;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * A partition's rows grouped by bundle size (num_gpus), each group in three orders: by row, for scans of a
 * whole group (they then read the columns front to back); and by on-demand price and by minimum bid, for
 * scans that visit the cheapest offers first and stop once the page is settled ({@link PriceOrder}). Also
 * each group's bounds of the columns that such a scan's bounds read besides the price (dlperf, total_flops).
 *
 * <p>num_gpus is in most searches (the quickstart asks for exactly 1), so a scan starts from the groups of the
 * sizes it wants instead of all rows. Replacing a machine splices the groups ({@link #spliced}): its rows
 * leave, the rows after it move by the difference, its new rows are merged in; nothing is sorted again.
 * Immutable.
 */
final class SizeGroups {
    static final int ON_DEMAND = 0;
    static final int BID = 1;
    private static final int NUM_GPUS = ColumnLayout.offerNumber("num_gpus");
    private static final int MIN_BID = ColumnLayout.offerNumber("min_bid");
    /** Offer columns with per-group bounds; {@link #bounds} takes an index into this. */
    static final int DLPERF = 0;

    static final int TOTAL_FLOPS = 1;
    private static final int[] BOUNDED = {ColumnLayout.offerNumber("dlperf"), ColumnLayout.offerNumber("total_flops")};

    /** The distinct bundle sizes, ascending. */
    final int[] sizes;
    /** Each group's rows, ascending. */
    final int[][] rows;
    /** [ON_DEMAND or BID][group]: each group's rows by that price, ascending. */
    final int[][][] byPrice;
    /**
     * [column][group]: every value of the group lies within; after a splice possibly wider than the values
     * left (the bounds are widened by new rows, never narrowed by leaving ones).
     */
    private final double[][] min;

    private final double[][] max;

    private SizeGroups(int[] sizes, int[][] rows, int[][][] byPrice, double[][] min, double[][] max) {
        this.sizes = sizes;
        this.rows = rows;
        this.byPrice = byPrice;
        this.min = min;
        this.max = max;
    }

    /** The price a price order sorts by: one of the offer columns. */
    static int priceColumn(int order) {
        return order == BID ? MIN_BID : ColumnLayout.ON_DEMAND_BASE;
    }

    /** The groups of the rows of offerNumbers (NaN values leave the bounds out: see {@link #bounds}). */
    static SizeGroups of(double[][] offerNumbers) {
        double[] gpus = offerNumbers[NUM_GPUS];
        int[] perSize = new int[65]; // sizes are 1..64 (MachineSpec)
        for (double g : gpus) perSize[(int) g]++;
        int[] sizes = IntStream.range(1, 65).filter(k -> perSize[k] > 0).toArray();
        int[][] rows = new int[sizes.length][];
        int[] groupOf = new int[65];
        for (int k = 0; k < sizes.length; k++) {
            rows[k] = new int[perSize[sizes[k]]];
            groupOf[sizes[k]] = k;
        }
        int[] filled = new int[sizes.length];
        for (int r = 0; r < gpus.length; r++) {
            int k = groupOf[(int) gpus[r]];
            rows[k][filled[k]++] = r;
        }
        int[][][] byPrice = new int[2][sizes.length][];
        for (int order = 0; order < 2; order++) {
            double[] price = offerNumbers[priceColumn(order)];
            Comparator<Integer> cheaper = (a, b) -> Double.compare(price[a], price[b]);
            for (int k = 0; k < sizes.length; k++) {
                byPrice[order][k] = Arrays.stream(rows[k])
                        .boxed()
                        .sorted(cheaper)
                        .mapToInt(Integer::intValue)
                        .toArray();
            }
        }
        double[][] min = new double[BOUNDED.length][sizes.length];
        double[][] max = new double[BOUNDED.length][sizes.length];
        for (int c = 0; c < BOUNDED.length; c++) {
            Arrays.fill(min[c], Double.POSITIVE_INFINITY);
            Arrays.fill(max[c], Double.NEGATIVE_INFINITY);
            for (int k = 0; k < sizes.length; k++)
                widen(c, k, offerNumbers[BOUNDED[c]], rows[k], 0, rows[k].length, min, max);
        }
        return new SizeGroups(sizes, rows, byPrice, min, max);
    }

    /**
     * The bounds of a column (DLPERF or TOTAL_FLOPS) over a group: [min, max], or null when a value is null
     * (NaN), which no bound covers.
     */
    ZoneMap.Bounds bounds(int column, int group) {
        double lo = min[column][group];
        double hi = max[column][group];
        return Double.isNaN(lo) || Double.isNaN(hi) ? null : ZoneMap.Bounds.of(lo, hi, false);
    }

    /**
     * The groups after a splice of the rows: {@code removed} rows at {@code at} left (their sizes were
     * {@code oldGpus[at..]}, those live by {@code oldLive} were in groups), {@code inserted} rows (now at {@code at}
     * in offerNumbers) came, of which those live by {@code live} join groups, and the rows after them moved by the
     * difference. A machine rewritten in place is a splice of its own rows for as many rows.
     */
    SizeGroups spliced(
            double[][] offerNumbers,
            boolean[] oldLive,
            int[] oldGpus,
            int at,
            int removed,
            int inserted,
            boolean[] live) {
        double[] gpus = offerNumbers[NUM_GPUS];
        int[] count = new int[65];
        for (int k = 0; k < sizes.length; k++) count[sizes[k]] = rows[k].length;
        for (int r = at; r < at + removed; r++) if (oldLive[r]) count[oldGpus[r]]--;
        for (int r = at; r < at + inserted; r++) if (live[r]) count[(int) gpus[r]]++;
        int[] next = IntStream.range(1, 65).filter(s -> count[s] > 0).toArray();
        int[][] rowsOut = new int[next.length][];
        int[][][] byPriceOut = new int[2][next.length][];
        double[][] minOut = new double[BOUNDED.length][next.length];
        double[][] maxOut = new double[BOUNDED.length][next.length];
        for (int j = 0; j < next.length; j++) {
            int size = next[j];
            int k = Arrays.binarySearch(sizes, size);
            int[] newRows = IntStream.range(at, at + inserted)
                    .filter(r -> live[r] && (int) gpus[r] == size)
                    .toArray();
            // A group no row left or joined is the same group: share it (the rows after it did not move).
            if (k >= 0 && newRows.length == 0 && inserted == removed && noneLeft(rows[k], at, removed)) {
                rowsOut[j] = rows[k];
                for (int order = 0; order < 2; order++) byPriceOut[order][j] = byPrice[order][k];
            } else {
                rowsOut[j] = spliceRows(k < 0 ? new int[0] : rows[k], newRows, count[size], at, removed, inserted);
                for (int order = 0; order < 2; order++) {
                    int[] old = k < 0 ? new int[0] : byPrice[order][k];
                    byPriceOut[order][j] = splicePriced(
                            old, newRows, count[size], at, removed, inserted, offerNumbers[priceColumn(order)]);
                }
            }
            for (int c = 0; c < BOUNDED.length; c++) {
                minOut[c][j] = k < 0 ? Double.POSITIVE_INFINITY : min[c][k];
                maxOut[c][j] = k < 0 ? Double.NEGATIVE_INFINITY : max[c][k];
                widen(c, j, offerNumbers[BOUNDED[c]], newRows, 0, newRows.length, minOut, maxOut);
            }
        }
        return new SizeGroups(next, rowsOut, byPriceOut, minOut, maxOut);
    }

    /** Whether no row of the ascending group lies in [at, at + removed). */
    private static boolean noneLeft(int[] group, int at, int removed) {
        int i = lowerBound(group, at);
        return i == group.length || group[i] >= at + removed;
    }

    /** A group in row order: the rows before at, the new rows, the rows after the removed ones, moved. */
    private static int[] spliceRows(int[] old, int[] added, int length, int at, int removed, int inserted) {
        int[] out = new int[length];
        int before = lowerBound(old, at);
        int after = lowerBound(old, at + removed);
        System.arraycopy(old, 0, out, 0, before);
        System.arraycopy(added, 0, out, before, added.length);
        int shift = inserted - removed;
        for (int i = after, o = before + added.length; i < old.length; i++, o++) out[o] = old[i] + shift;
        return out;
    }

    /**
     * A group in price order: the old rows but the removed ones, moved, then each new row inserted where its
     * price belongs (a binary search and one array move each: a machine brings a row or two per group).
     */
    private static int[] splicePriced(
            int[] old, int[] added, int length, int at, int removed, int inserted, double[] price) {
        // The loop writes every old row and advances past the kept ones, so it may write one slot past them.
        int[] out = new int[Math.max(length, old.length)];
        int end = at + removed;
        int shift = inserted - removed;
        int n = 0;
        for (int r : old) {
            out[n] = r >= end ? r + shift : r;
            n += r < at || r >= end ? 1 : 0;
        }
        for (int r : added) {
            int lo = 0;
            int hi = n;
            while (lo < hi) { // the first row dearer than r
                int mid = (lo + hi) >>> 1;
                if (Double.compare(price[out[mid]], price[r]) <= 0) lo = mid + 1;
                else hi = mid;
            }
            System.arraycopy(out, lo, out, lo + 1, n - lo);
            out[lo] = r;
            n++;
        }
        return out.length == length ? out : Arrays.copyOf(out, length);
    }

    /** The first index whose row is at least r, in an ascending list. */
    private static int lowerBound(int[] list, int r) {
        int i = Arrays.binarySearch(list, r);
        return i >= 0 ? i : -i - 1;
    }

    private static void widen(
            int c, int k, double[] column, int[] rows, int from, int to, double[][] min, double[][] max) {
        for (int i = from; i < to; i++) {
            double v = column[rows[i]];
            // NaN makes the bounds NaN for good: bounds() then says they are unknown.
            min[c][k] = Double.isNaN(v) || Double.isNaN(min[c][k]) ? Double.NaN : Math.min(min[c][k], v);
            max[c][k] = Double.isNaN(v) || Double.isNaN(max[c][k]) ? Double.NaN : Math.max(max[c][k], v);
        }
    }
}
