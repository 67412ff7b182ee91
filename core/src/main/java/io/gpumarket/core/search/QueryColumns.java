package io.gpumarket.core.search;

import io.gpumarket.core.offer.OfferPricing;
import io.gpumarket.core.offer.PriceContext;
import io.gpumarket.core.offer.PriceType;
import java.util.Arrays;
import java.util.Set;

/**
 * The columns whose values depend on the search: prices (which price type, how much storage), time, and the
 * caller's rentals. Each is computed per row from stored columns with the same {@link OfferPricing} formulas
 * the rendered offer uses, so filtering, sorting and the shown number agree to the bit.
 */
final class QueryColumns {
    private static final Set<String> NAMES = Set.of(
            "dph_base",
            "dph_total",
            "storage_total_cost",
            "vram_costperhour",
            "is_bid",
            "discounted_hourly",
            "discounted_dph_total",
            "dlperf_per_dphtotal",
            "flops_per_dphtotal",
            "score",
            "rentable",
            "rented",
            "start_date",
            "duration");

    private QueryColumns() {}

    static boolean computes(String field) {
        return NAMES.contains(field);
    }

    /** Stored columns the formulas read; resolved on first use, after the layout exists. */
    private static final class Slots {
        static final int STORAGE_COST = ColumnLayout.machineNumber("storage_cost");
        static final int GPU_RAM = ColumnLayout.machineNumber("gpu_ram");
        static final int RELIABILITY = ColumnLayout.machineNumber("reliability");
        static final int DISCOUNT = ColumnLayout.machineNumber("credit_discount_max");
        static final int END_DATE = ColumnLayout.machineNumber("end_date");
        static final int MIN_BID = ColumnLayout.offerNumber("min_bid");
        static final int DLPERF = ColumnLayout.offerNumber("dlperf");
        static final int TOTAL_FLOPS = ColumnLayout.offerNumber("total_flops");
    }

    static NumSource resolve(String field, Partition p, PriceContext c) {
        int baseSlot = c.type() == PriceType.BID ? Slots.MIN_BID : ColumnLayout.ON_DEMAND_BASE;
        double[] base = p.offerNumbers[baseSlot];
        double[] storageCost = p.machineNumbers[Slots.STORAGE_COST];
        double gb = c.allocatedStorageGb();
        int[] mo = p.machineOf;
        long now = c.nowEpochSeconds();
        // Bounds follow from the inputs' bounds because every formula is monotone in each input over the
        // values it is given (checked by nonNegative where that matters) and IEEE rounding keeps monotony.
        ZoneMap.Bounds baseBounds = known(p.offerZones.bounds(baseSlot));
        ZoneMap.Bounds storageBounds = known(p.machineZones.bounds(Slots.STORAGE_COST));
        ZoneMap.Bounds storageTotal = storageBounds == null
                ? null
                : ZoneMap.Bounds.of(
                        OfferPricing.storageTotalCost(storageBounds.min(), gb),
                        OfferPricing.storageTotalCost(storageBounds.max(), gb),
                        false);
        ZoneMap.Bounds dphTotal = baseBounds == null || storageTotal == null
                ? null
                : ZoneMap.Bounds.of(
                        OfferPricing.dphTotal(baseBounds.min(), storageTotal.min()),
                        OfferPricing.dphTotal(baseBounds.max(), storageTotal.max()),
                        false);
        return switch (field) {
            case "dph_base" -> NumSource.perOffer(base, p.offerZones.bounds(baseSlot));
            case "storage_total_cost" ->
                NumSource.perMachineComputed(
                        (machines, n, out) -> {
                            for (int i = 0; i < n; i++)
                                out[i] = OfferPricing.storageTotalCost(storageCost[machines[i]], gb);
                        },
                        storageTotal);
            case "dph_total" ->
                NumSource.computed(
                        (rows, n, out) -> {
                            for (int i = 0; i < n; i++) out[i] = dphTotal(base, storageCost, gb, mo, rows[i]);
                        },
                        dphTotal);
            case "vram_costperhour" -> {
                double[] gpuRam = p.machineNumbers[Slots.GPU_RAM];
                yield NumSource.computed(
                        (rows, n, out) -> {
                            for (int i = 0; i < n; i++)
                                out[i] = dphTotal(base, storageCost, gb, mo, rows[i]) / gpuRam[mo[rows[i]]];
                        },
                        null);
            }
            case "dlperf_per_dphtotal", "flops_per_dphtotal" -> {
                int amountSlot = field.equals("dlperf_per_dphtotal") ? Slots.DLPERF : Slots.TOTAL_FLOPS;
                double[] amount = p.offerNumbers[amountSlot];
                yield NumSource.computed(
                        (rows, n, out) -> {
                            for (int i = 0; i < n; i++) {
                                int r = rows[i];
                                out[i] = OfferPricing.perDollar(amount[r], dphTotal(base, storageCost, gb, mo, r));
                            }
                        },
                        perDollar(p.offerZones.bounds(amountSlot), dphTotal));
            }
            case "score" -> {
                double[] dlperf = p.offerNumbers[Slots.DLPERF];
                double[] reliability = p.machineNumbers[Slots.RELIABILITY];
                ZoneMap.Bounds perDollar = perDollar(p.offerZones.bounds(Slots.DLPERF), dphTotal);
                ZoneMap.Bounds rel = nonNegative(p.machineZones.bounds(Slots.RELIABILITY));
                yield NumSource.computed(
                        (rows, n, out) -> {
                            for (int i = 0; i < n; i++) {
                                int r = rows[i];
                                double perDollarValue =
                                        OfferPricing.perDollar(dlperf[r], dphTotal(base, storageCost, gb, mo, r));
                                out[i] = OfferPricing.score(perDollarValue, reliability[mo[r]]);
                            }
                        },
                        perDollar == null || rel == null
                                ? null
                                : ZoneMap.Bounds.of(
                                        OfferPricing.score(perDollar.min(), rel.min()),
                                        OfferPricing.score(perDollar.max(), rel.max()),
                                        false));
            }
            case "is_bid" -> NumSource.constant(c.type() == PriceType.BID ? 1 : 0);
            case "discounted_hourly", "discounted_dph_total" -> {
                double[] rate = p.machineNumbers[Slots.DISCOUNT];
                boolean withStorage = field.equals("discounted_dph_total");
                yield NumSource.computed(
                        (rows, n, out) -> {
                            for (int i = 0; i < n; i++) {
                                int r = rows[i];
                                double discounted = OfferPricing.discounted(base[r], rate[mo[r]]);
                                out[i] = withStorage
                                        ? discounted + OfferPricing.storageTotalCost(storageCost[mo[r]], gb)
                                        : discounted;
                            }
                        },
                        null);
            }
            case "rentable" -> {
                double[] end = p.machineNumbers[Slots.END_DATE];
                ZoneMap.Bounds ends = known(p.machineZones.bounds(Slots.END_DATE));
                yield NumSource.perMachineComputed(
                        (machines, n, out) -> {
                            for (int i = 0; i < n; i++) out[i] = rentable(end[machines[i]], now);
                        },
                        ends == null
                                ? null
                                : ZoneMap.Bounds.of(rentable(ends.min(), now), rentable(ends.max(), now), false));
            }
            case "duration" -> {
                double[] end = p.machineNumbers[Slots.END_DATE];
                ZoneMap.Bounds ends = known(p.machineZones.bounds(Slots.END_DATE));
                yield NumSource.perMachineComputed(
                        (machines, n, out) -> {
                            for (int i = 0; i < n; i++) out[i] = OfferPricing.duration((long) end[machines[i]], now);
                        },
                        ends == null
                                ? null
                                : ZoneMap.Bounds.of(
                                        OfferPricing.duration((long) ends.min(), now),
                                        OfferPricing.duration((long) ends.max(), now),
                                        false));
            }
            case "start_date" -> NumSource.constant((double) now);
            case "rented" -> rented(p, c);
            default -> throw new IllegalArgumentException("not a per-query column: " + field);
        };
    }

    private static double rentable(double endDate, long now) {
        return OfferPricing.rentable((long) endDate, now) ? 1 : 0;
    }

    /** The bounds when the column has values and no nulls (a formula of a null is not bounded by them). */
    private static ZoneMap.Bounds known(ZoneMap.Bounds b) {
        return b.values() > 0 && b.nulls() == 0 ? b : null;
    }

    private static ZoneMap.Bounds nonNegative(ZoneMap.Bounds b) {
        b = known(b);
        return b != null && b.min() >= 0 ? b : null;
    }

    /** amount / max(dph, floor) grows with the amount and shrinks with the price, for amounts >= 0. */
    private static ZoneMap.Bounds perDollar(ZoneMap.Bounds amount, ZoneMap.Bounds dphTotal) {
        amount = nonNegative(amount);
        if (amount == null || dphTotal == null) return null;
        return ZoneMap.Bounds.of(
                OfferPricing.perDollar(amount.min(), dphTotal.max()),
                OfferPricing.perDollar(amount.max(), dphTotal.min()),
                false);
    }

    private static double dphTotal(double[] base, double[] storageCost, double gb, int[] machineOf, int row) {
        return OfferPricing.dphTotal(base[row], OfferPricing.storageTotalCost(storageCost[machineOf[row]], gb));
    }

    /** Most callers rent nothing, which makes the column a constant; otherwise mark their machines here. */
    private static NumSource rented(Partition p, PriceContext c) {
        double[] rented = null;
        for (long id : c.rentedMachineIds()) {
            int i = Arrays.binarySearch(p.machineIds, id);
            if (i < 0) continue;
            if (rented == null) rented = new double[p.machineIds.length];
            rented[i] = 1;
        }
        return rented == null ? NumSource.constant(0) : NumSource.perMachine(rented, null);
    }
}
