package io.gpumarket.core.machine;

/**
 * The terms under which a host offers a machine (Vast's {@code create_asks}). Money in micro-dollars.
 *
 * @param gpuPricePerHour   on-demand price per GPU per hour
 * @param diskPricePerGbMonth storage price per GB per month (a month is 720 hours)
 * @param inetUpPricePerGb  upload price per GB
 * @param inetDownPricePerGb download price per GB
 * @param minBidPerGpuHour  floor for interruptible bids, per GPU per hour
 * @param minChunk          the smallest bundle of GPUs offered; bundles are minChunk, 2×, 4× … up to the free count
 * @param endDate           epoch seconds until which the machine is offered
 * @param creditDiscountMax the host's maximum prepay (reserved) discount, 0..1
 */
public record Listing(
        long gpuPricePerHour,
        long diskPricePerGbMonth,
        long inetUpPricePerGb,
        long inetDownPricePerGb,
        long minBidPerGpuHour,
        int minChunk,
        long endDate,
        double creditDiscountMax) {
    public Listing {
        if (gpuPricePerHour < 0
                || diskPricePerGbMonth < 0
                || inetUpPricePerGb < 0
                || inetDownPricePerGb < 0
                || minBidPerGpuHour < 0) {
            throw new IllegalArgumentException("prices must not be negative");
        }
        if (minChunk < 1) throw new IllegalArgumentException("min_chunk must be at least 1, got " + minChunk);
        if (creditDiscountMax < 0 || creditDiscountMax > 1) {
            throw new IllegalArgumentException("credit_discount_max must be between 0 and 1, got " + creditDiscountMax);
        }
    }
}
