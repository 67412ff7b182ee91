package io.gpumarket.core.search;

import io.gpumarket.core.offer.OfferPricing;
import io.gpumarket.core.offer.PriceContext;
import io.gpumarket.core.offer.PriceType;

/**
 * A sort key that moves with the offer's base price: {@code dph_base} and {@code dph_total} grow with it,
 * {@code dlperf_per_dphtotal}, {@code flops_per_dphtotal} and {@code score} shrink. Walking a size group's rows
 * in price order ({@link SizeGroups#byPrice}) visits them about best first, and the price where the walk
 * stands bounds the key of every row still ahead (with the bounds of the key's other inputs: storage cost,
 * reliability, the group's dlperf). So a search can walk the groups best first and stop as soon as no row
 * ahead can beat the worst offer of a full page: the cheapest 100 of 50,000 matches are found in a few
 * hundred rows.
 *
 * <p>The bounds use the same {@link OfferPricing} formulas as the key; each formula is monotone in each input
 * over the inputs allowed here (amounts and reliabilities ≥ 0, storage GB ≥ 0), and IEEE rounding keeps
 * monotony, so a bound is never beaten by the value it bounds.
 */
final class PriceOrder {
    private enum Key {
        DPH_BASE,
        DPH_TOTAL,
        PER_DOLLAR,
        SCORE
    }

    private static final int STORAGE_COST = ColumnLayout.machineNumber("storage_cost");
    private static final int RELIABILITY = ColumnLayout.machineNumber("reliability");

    private final Key key;
    /** SizeGroups.DLPERF or TOTAL_FLOPS, for PER_DOLLAR and SCORE. */
    private final int amount;

    private final int priceOrder;
    private final boolean cheapestFirst;
    private final double storageGb;

    private PriceOrder(Key key, int amount, boolean descending, PriceContext c) {
        this.key = key;
        this.amount = amount;
        this.priceOrder = c.type() == PriceType.BID ? SizeGroups.BID : SizeGroups.ON_DEMAND;
        boolean growsWithPrice = key == Key.DPH_BASE || key == Key.DPH_TOTAL;
        this.cheapestFirst = growsWithPrice != descending;
        this.storageGb = c.allocatedStorageGb();
    }

    /** The price order for a sort key, or null when the key does not move with the price. */
    static PriceOrder of(OrderKey order, PriceContext c) {
        return switch (order.field()) {
            case "dph_base" -> new PriceOrder(Key.DPH_BASE, -1, order.descending(), c);
            case "dph_total" -> new PriceOrder(Key.DPH_TOTAL, -1, order.descending(), c);
            case "dlperf_per_dphtotal" -> new PriceOrder(Key.PER_DOLLAR, SizeGroups.DLPERF, order.descending(), c);
            case "flops_per_dphtotal" -> new PriceOrder(Key.PER_DOLLAR, SizeGroups.TOTAL_FLOPS, order.descending(), c);
            case "score" -> new PriceOrder(Key.SCORE, SizeGroups.DLPERF, order.descending(), c);
            default -> null;
        };
    }

    /** The group's rows in the order to walk them (best first: cheapest first, or dearest first). */
    int[] rows(Partition p, int group) {
        return p.groups.byPrice[priceOrder][group];
    }

    boolean cheapestFirst() {
        return cheapestFirst;
    }

    double[] prices(Partition p) {
        return p.offerNumbers[SizeGroups.priceColumn(priceOrder)];
    }

    /**
     * The best key any row of the group can have whose price is at or beyond a given one in walking order,
     * or null when the partition gives no usable bounds (a null input, a negative amount): such a group is
     * walked without stopping.
     */
    Bound bound(Partition p, int group) {
        if (p.offerZones.bounds(SizeGroups.priceColumn(priceOrder)).nulls() > 0) return null;
        ZoneMap.Bounds storage = known(p.machineZones.bounds(STORAGE_COST));
        if (storage == null) return null;
        // Walking cheapest first, the rows ahead cost at least the price; the least storage makes the lowest
        // total (the best for an ascending price, the best per dollar). Dearest first, the reverse.
        double storageTotal = OfferPricing.storageTotalCost(cheapestFirst ? storage.min() : storage.max(), storageGb);
        if (key == Key.DPH_BASE) return price -> price;
        if (key == Key.DPH_TOTAL) return price -> OfferPricing.dphTotal(price, storageTotal);
        ZoneMap.Bounds amounts = p.groups.bounds(amount, group);
        if (amounts == null || amounts.min() < 0) return null;
        // Cheapest first is the best per dollar first (descending): the largest amount bounds from above.
        double amountBound = cheapestFirst ? amounts.max() : amounts.min();
        if (key == Key.PER_DOLLAR)
            return price -> OfferPricing.perDollar(amountBound, OfferPricing.dphTotal(price, storageTotal));
        ZoneMap.Bounds reliability = known(p.machineZones.bounds(RELIABILITY));
        if (reliability == null || reliability.min() < 0) return null;
        double reliabilityBound = cheapestFirst ? reliability.max() : reliability.min();
        return price -> OfferPricing.score(
                OfferPricing.perDollar(amountBound, OfferPricing.dphTotal(price, storageTotal)), reliabilityBound);
    }

    /** The best key of rows at or beyond a price, in walking order. */
    @FunctionalInterface
    interface Bound {
        double best(double price);
    }

    private static ZoneMap.Bounds known(ZoneMap.Bounds b) {
        return b.values() > 0 && b.nulls() == 0 ? b : null;
    }
}
