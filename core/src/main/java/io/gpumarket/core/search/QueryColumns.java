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
    private static final Set<String> NAMES = Set.of("dph_base", "dph_total", "storage_total_cost", "vram_costperhour",
            "is_bid", "discounted_hourly", "discounted_dph_total", "dlperf_per_dphtotal", "flops_per_dphtotal", "score",
            "rentable", "rented", "start_date", "duration");

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
        double[] base = p.offerNumbers[c.type() == PriceType.BID ? Slots.MIN_BID : ColumnLayout.ON_DEMAND_BASE];
        double[] storageCost = p.machineNumbers[Slots.STORAGE_COST];
        double gb = c.allocatedStorageGb();
        int[] mo = p.machineOf;
        long now = c.nowEpochSeconds();
        return switch (field) {
            case "dph_base" -> NumSource.perOffer(base);
            case "storage_total_cost" -> NumSource.computed((rows, n, out) -> {
                for (int i = 0; i < n; i++) out[i] = OfferPricing.storageTotalCost(storageCost[mo[rows[i]]], gb);
            });
            case "dph_total" -> NumSource.computed((rows, n, out) -> {
                for (int i = 0; i < n; i++) out[i] = dphTotal(base, storageCost, gb, mo, rows[i]);
            });
            case "vram_costperhour" -> {
                double[] gpuRam = p.machineNumbers[Slots.GPU_RAM];
                yield NumSource.computed((rows, n, out) -> {
                    for (int i = 0; i < n; i++) out[i] = dphTotal(base, storageCost, gb, mo, rows[i]) / gpuRam[mo[rows[i]]];
                });
            }
            case "dlperf_per_dphtotal", "flops_per_dphtotal" -> {
                double[] amount = p.offerNumbers[field.equals("dlperf_per_dphtotal") ? Slots.DLPERF : Slots.TOTAL_FLOPS];
                yield NumSource.computed((rows, n, out) -> {
                    for (int i = 0; i < n; i++) {
                        int r = rows[i];
                        out[i] = OfferPricing.perDollar(amount[r], dphTotal(base, storageCost, gb, mo, r));
                    }
                });
            }
            case "score" -> {
                double[] dlperf = p.offerNumbers[Slots.DLPERF];
                double[] reliability = p.machineNumbers[Slots.RELIABILITY];
                yield NumSource.computed((rows, n, out) -> {
                    for (int i = 0; i < n; i++) {
                        int r = rows[i];
                        double perDollar = OfferPricing.perDollar(dlperf[r], dphTotal(base, storageCost, gb, mo, r));
                        out[i] = OfferPricing.score(perDollar, reliability[mo[r]]);
                    }
                });
            }
            case "is_bid" -> NumSource.constant(c.type() == PriceType.BID ? 1 : 0);
            case "discounted_hourly", "discounted_dph_total" -> {
                double[] rate = p.machineNumbers[Slots.DISCOUNT];
                boolean withStorage = field.equals("discounted_dph_total");
                yield NumSource.computed((rows, n, out) -> {
                    for (int i = 0; i < n; i++) {
                        int r = rows[i];
                        double discounted = OfferPricing.discounted(base[r], rate[mo[r]]);
                        out[i] = withStorage ? discounted + OfferPricing.storageTotalCost(storageCost[mo[r]], gb) : discounted;
                    }
                });
            }
            case "rentable" -> {
                double[] end = p.machineNumbers[Slots.END_DATE];
                yield NumSource.computed((rows, n, out) -> {
                    for (int i = 0; i < n; i++) out[i] = OfferPricing.rentable((long) end[mo[rows[i]]], now) ? 1 : 0;
                });
            }
            case "duration" -> {
                double[] end = p.machineNumbers[Slots.END_DATE];
                yield NumSource.computed((rows, n, out) -> {
                    for (int i = 0; i < n; i++) out[i] = OfferPricing.duration((long) end[mo[rows[i]]], now);
                });
            }
            case "start_date" -> NumSource.constant((double) now);
            case "rented" -> rented(p, c);
            default -> throw new IllegalArgumentException("not a per-query column: " + field);
        };
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
        return rented == null ? NumSource.constant(0) : NumSource.perMachine(rented);
    }
}
