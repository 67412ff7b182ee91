package io.gpumarket.core.billing;

/**
 * GPU time run at changed bids and what it costs per GPU, kept exactly: the sum of (milliseconds × price per
 * GPU-hour) over the stretches, as whole micro-dollar-hours-per-hour ({@code micros}) plus a remainder below an hour
 * of milliseconds. Exact sums keep the rule that charges over any split of time add up to the charge over the whole.
 *
 * @param millis    GPU time at changed prices
 * @param micros    ⌊Σ ms × price / 3,600,000⌋: micro-dollars per GPU
 * @param remainder Σ ms × price − micros × 3,600,000 (0 ≤ remainder < 3,600,000)
 */
public record GpuCost(long millis, long micros, long remainder) {
    public static final GpuCost NONE = new GpuCost(0, 0, 0);

    public GpuCost {
        if (millis < 0 || micros < 0 || remainder < 0 || remainder >= ContractTerms.MILLIS_PER_HOUR) {
            throw new IllegalArgumentException("not a GPU cost: " + millis + " ms, " + micros + " µ$ + " + remainder);
        }
    }

    /** Adds {@code ms} of GPU time at {@code perGpuHour} micro-dollars per GPU-hour. */
    public GpuCost plus(long ms, long perGpuHour) {
        if (ms == 0) return this;
        long h = ContractTerms.MILLIS_PER_HOUR;
        long whole = MulDiv.floor(ms, perGpuHour, h);
        // the product's remainder modulo an hour: exact in wrapping 64-bit arithmetic, since the true value is < h
        long rest = ms * perGpuHour - whole * h + remainder;
        return new GpuCost(Math.addExact(millis, ms), Math.addExact(Math.addExact(micros, whole), rest / h), rest % h);
    }
}
