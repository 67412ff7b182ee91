package io.gpumarket.core.offer;

import io.gpumarket.core.machine.Listing;
import io.gpumarket.core.money.Money;

/**
 * The price and value formulas of an offer, in dollars (the wire's unit). {@link OfferFields} renders with
 * them and the search index computes its price-dependent columns with them, so a filter or sort on
 * {@code dph_total} sees exactly the number the offer shows.
 *
 * <ul>
 *   <li>{@code dph_base} = GPU price/h × n (on-demand, reserved) or minimum bid/GPU/h × n (bid)</li>
 *   <li>{@code storage_total_cost} = storage $/GB/month × allocated GB / 720 (a month is 720 hours)</li>
 *   <li>{@code dph_total} = dph_base + storage_total_cost</li>
 *   <li>per-dollar values ({@code dlperf_per_dphtotal}, {@code flops_per_dphtotal}) divide by
 *       max(dph_total, {@link #MIN_DPH}) so that a free offer scores high but finite (JSON has no Infinity)</li>
 *   <li>{@code score} = dlperf_per_dphtotal × reliability: work per dollar, discounted by the chance the
 *       machine is there to do it</li>
 *   <li>{@code discounted_hourly} = dph_base × (1 − discount rate); the rate is the host's credit_discount_max</li>
 * </ul>
 */
public final class OfferPricing {
    public static final double HOURS_PER_MONTH = 720.0;
    /** The smallest hourly price a per-dollar value divides by: a tenth of a cent. */
    public static final double MIN_DPH = 0.001;

    private OfferPricing() {}

    /** On-demand (and reserved) GPU price of an n-GPU bundle, $/h. */
    public static double onDemandBase(Listing listing, int gpus) {
        return Money.toDollars(listing.gpuPricePerHour() * gpus);
    }

    /** Minimum bid for an n-GPU bundle, $/h ({@code min_bid}). */
    public static double bidBase(Listing listing, int gpus) {
        return Money.toDollars(listing.minBidPerGpuHour() * gpus);
    }

    public static double dphBase(PriceType type, double onDemandBase, double bidBase) {
        return type == PriceType.BID ? bidBase : onDemandBase;
    }

    public static double storageTotalCost(double storageCostPerGbMonth, double allocatedGb) {
        return storageCostPerGbMonth * allocatedGb / HOURS_PER_MONTH;
    }

    public static double dphTotal(double dphBase, double storageTotalCost) {
        return dphBase + storageTotalCost;
    }

    public static double perDollar(double amount, double dphTotal) {
        return amount / Math.max(dphTotal, MIN_DPH);
    }

    public static double score(double dlperfPerDphTotal, double reliability) {
        return dlperfPerDphTotal * reliability;
    }

    public static double discounted(double dphBase, double discountRate) {
        return dphBase * (1 - discountRate);
    }

    /** Seconds until the listing ends ({@code duration}); negative once it has passed. */
    public static double duration(long endDate, long now) {
        return (double) (endDate - now);
    }

    /** An offer is rentable until its listing's end date. */
    public static boolean rentable(long endDate, long now) {
        return now < endDate;
    }
}
