package io.gpumarket.core.search;

/**
 * The smallest and largest value of each number column of one partition, and how many cells are null ("zone
 * maps"). A search checks a condition against them before it looks at any row: {@code gpu_ram >= 40000} holds
 * for no RTX 4090 and for every H100, so the first partition is skipped and the condition drops out of the
 * second (see {@link NumTest#over}). They also bound what a partition can add to a full page ({@link TopK}).
 *
 * <p>Each bound keeps how many cells hold it, so that replacing one machine ({@link #spliced}) rescans a column
 * only when the last cell holding its minimum or maximum leaves: updates stay a splice, not a rebuild.
 * Immutable.
 */
final class ZoneMap {
    /** A column's bounds: every non-null cell lies in [min, max]; no non-null cell when {@code values} is 0. */
    record Bounds(double min, double max, int values, int nulls) {
        static Bounds of(double min, double max, boolean nulls) {
            return new Bounds(min, max, 1, nulls ? 1 : 0);
        }
    }

    private final double[] min;
    private final double[] max;
    private final int[] minCount;
    private final int[] maxCount;
    private final int[] values;
    private final int[] nulls;

    private ZoneMap(int columns) {
        min = new double[columns];
        max = new double[columns];
        minCount = new int[columns];
        maxCount = new int[columns];
        values = new int[columns];
        nulls = new int[columns];
    }

    /** The zone map of columns[c][0..size). */
    static ZoneMap of(double[][] columns) {
        ZoneMap z = new ZoneMap(columns.length);
        for (int c = 0; c < columns.length; c++) z.scan(c, columns[c]);
        return z;
    }

    Bounds bounds(int column) {
        return new Bounds(min[column], max[column], values[column], nulls[column]);
    }

    /**
     * The zone map after a splice: {@code before[c]} had {@code removed} cells at {@code at}, {@code after[c]} has
     * {@code inserted} cells there instead, and is otherwise the same.
     */
    ZoneMap spliced(double[][] before, double[][] after, int at, int removed, int inserted) {
        ZoneMap z = new ZoneMap(min.length);
        for (int c = 0; c < min.length; c++) {
            z.min[c] = min[c];
            z.max[c] = max[c];
            z.minCount[c] = minCount[c];
            z.maxCount[c] = maxCount[c];
            z.values[c] = values[c];
            z.nulls[c] = nulls[c];
            for (int i = at; i < at + removed; i++) z.remove(c, before[c][i]);
            for (int i = at; i < at + inserted; i++) z.add(c, after[c][i]);
            // A bound whose last cell left may now be too wide: rescan that column (rare for a column of many
            // distinct values; a column of few values keeps its bounds' counts above zero).
            if (z.values[c] > 0 && (z.minCount[c] == 0 || z.maxCount[c] == 0)) z.scan(c, after[c]);
        }
        return z;
    }

    private void scan(int c, double[] column) {
        min[c] = Double.POSITIVE_INFINITY;
        max[c] = Double.NEGATIVE_INFINITY;
        minCount[c] = 0;
        maxCount[c] = 0;
        values[c] = 0;
        nulls[c] = 0;
        for (double v : column) add(c, v);
    }

    private void add(int c, double v) {
        if (Double.isNaN(v)) {
            nulls[c]++;
            return;
        }
        if (values[c]++ == 0) {
            min[c] = v;
            max[c] = v;
            minCount[c] = 1;
            maxCount[c] = 1;
            return;
        }
        if (v < min[c]) {
            min[c] = v;
            minCount[c] = 1;
        } else if (v == min[c]) {
            minCount[c]++;
        }
        if (v > max[c]) {
            max[c] = v;
            maxCount[c] = 1;
        } else if (v == max[c]) {
            maxCount[c]++;
        }
    }

    private void remove(int c, double v) {
        if (Double.isNaN(v)) {
            nulls[c]--;
            return;
        }
        if (--values[c] == 0) {
            min[c] = Double.POSITIVE_INFINITY;
            max[c] = Double.NEGATIVE_INFINITY;
            minCount[c] = 0;
            maxCount[c] = 0;
            return;
        }
        if (v == min[c]) minCount[c]--;
        if (v == max[c]) maxCount[c]--;
    }
}
