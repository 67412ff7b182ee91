package io.gpumarket.core.search;

/**
 * The selection arrays of one search, reused from partition to partition and allocated only as large as the
 * search needs: a walk in price order needs a few batches' room, not room for the largest partition, and
 * zeroing memory it never uses would cost the search more than its scan.
 */
final class Scratch {
    private int[] rows = new int[0];
    private int[] machines = new int[0];

    /** Room for n rows (contents undefined). */
    int[] rows(int n) {
        if (rows.length < n) rows = new int[Math.max(n, rows.length * 2)];
        return rows;
    }

    /** Room for n machine indexes (contents undefined). */
    int[] machines(int n) {
        if (machines.length < n) machines = new int[Math.max(n, machines.length * 2)];
        return machines;
    }
}
