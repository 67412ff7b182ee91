package io.gpumarket.bench;

import java.util.Arrays;

/**
 * Latencies in nanoseconds, collected into a growable array (no boxing while timing) and summarised by
 * nearest-rank percentiles of the sorted samples: p50 is a value that was actually measured, not an
 * interpolation.
 */
public final class Samples {
    private long[] nanos = new long[1024];
    private int size;

    public void add(long latencyNanos) {
        if (size == nanos.length) nanos = Arrays.copyOf(nanos, size * 2);
        nanos[size++] = latencyNanos;
    }

    public void addAll(Samples other) {
        for (int i = 0; i < other.size; i++) add(other.nanos[i]);
    }

    public int count() {
        return size;
    }

    /** The p-th percentile (0 < p ≤ 100) in microseconds, nearest rank. */
    public double percentileMicros(double p) {
        if (size == 0) return Double.NaN;
        long[] sorted = Arrays.copyOf(nanos, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, Math.min(size, rank) - 1)] / 1_000.0;
    }

    public double p50Micros() {
        return percentileMicros(50);
    }

    public double p99Micros() {
        return percentileMicros(99);
    }

    public double meanMicros() {
        if (size == 0) return Double.NaN;
        double sum = 0;
        for (int i = 0; i < size; i++) sum += nanos[i];
        return sum / size / 1_000.0;
    }
}
