package io.gpumarket.core.search;

import io.gpumarket.core.offer.PriceContext;
import java.util.ArrayList;
import java.util.List;

/**
 * A query's conditions bound to one partition, split by what they depend on: the machine (tested once per
 * machine) or the bundle (tested per offer). Conditions the partition decides whole ({@link RowFilter#ALL})
 * drop out; one it decides against ({@link RowFilter#NONE}) means there is no scan at all.
 *
 * <p>A scan of many rows tests the machine conditions on the machines first (a machine has 1.8 offers on
 * average, and its values are then read directly instead of through {@code machineOf}), then turns the
 * surviving machines into their offers of the wanted bundle sizes, then tests the bundle conditions. A scan
 * of few rows (one bundle size of a partition with many machines) tests everything per row instead.
 */
final class PartitionScan {
    final Partition partition;
    /** Machine conditions, in both forms: on machine indexes and on offer rows. */
    private final RowFilter[] onMachines;

    private final RowFilter[] machinesOnRows;
    private final RowFilter[] onOffers;

    private PartitionScan(Partition partition, List<RowFilter> machineFilters, List<RowFilter> offerFilters) {
        this.partition = partition;
        this.onMachines = new RowFilter[machineFilters.size()];
        for (int i = 0; i < onMachines.length; i++)
            onMachines[i] = machineFilters.get(i).onMachines();
        this.machinesOnRows = machineFilters.toArray(RowFilter[]::new);
        this.onOffers = offerFilters.toArray(RowFilter[]::new);
    }

    /** The conditions bound to the partition; null when one of them excludes it whole. */
    static PartitionScan bind(RowFilter.Prepared[] prepared, Partition p, PriceContext prices) {
        RowFilter[] filters = new RowFilter[prepared.length];
        // Cheap conditions first (see bindCost): most partitions are excluded by one of them.
        for (int most : new int[] {16, Integer.MAX_VALUE}) {
            for (int i = 0; i < prepared.length; i++) {
                if (filters[i] != null || prepared[i].bindCost(p) > most) continue;
                filters[i] = prepared[i].bind(p, prices);
                if (filters[i] == RowFilter.NONE) return null;
            }
        }
        List<RowFilter> machine = new ArrayList<>();
        List<RowFilter> offer = new ArrayList<>();
        for (RowFilter f : filters) {
            if (f == RowFilter.ALL) continue;
            (f.onMachines() != null ? machine : offer).add(f);
        }
        return new PartitionScan(p, machine, offer);
    }

    /**
     * Writes the rows of the wanted bundle sizes that pass every condition to {@code rows} (at least as long as
     * the partition has rows, dead ones included) and returns how many there are.
     *
     * @param wantedGroups which of the partition's {@link Partition#bundleSizes} to scan
     */
    int select(boolean[] wantedGroups, int[] rows, Scratch scratch) {
        Partition p = partition;
        int wantedRows = 0;
        boolean everySize = true;
        for (int k = 0; k < wantedGroups.length; k++) {
            if (wantedGroups[k]) wantedRows += p.rowsBySize[k].length;
            else everySize = false;
        }
        if (wantedRows == 0) return 0;
        int n;
        if (onMachines.length > 0 && p.machineIds.length <= wantedRows) {
            n = machinesFirst(wantedGroups, everySize, rows, scratch.machines(p.machines()));
        } else {
            n = 0;
            for (int k = 0; k < wantedGroups.length; k++) {
                if (!wantedGroups[k]) continue;
                System.arraycopy(p.rowsBySize[k], 0, rows, n, p.rowsBySize[k].length);
                n += p.rowsBySize[k].length;
            }
            for (RowFilter f : machinesOnRows) {
                n = f.apply(rows, n);
                if (n == 0) return 0;
            }
        }
        return filterOffers(rows, n);
    }

    /** Keeps the rows[0..n) that pass every condition; returns how many do. */
    int filter(int[] rows, int n) {
        for (RowFilter f : machinesOnRows) {
            if (n == 0) return 0;
            n = f.apply(rows, n);
        }
        return filterOffers(rows, n);
    }

    private int filterOffers(int[] rows, int n) {
        for (RowFilter f : onOffers) {
            if (n == 0) return 0;
            n = f.apply(rows, n);
        }
        return n;
    }

    private int machinesFirst(boolean[] wantedGroups, boolean everySize, int[] rows, int[] machines) {
        Partition p = partition;
        int m = p.machineIds.length;
        for (int i = 0; i < m; i++) machines[i] = i;
        for (RowFilter f : onMachines) {
            m = f.apply(machines, m);
            if (m == 0) return 0;
        }
        int[] firstOffer = p.firstOffer;
        boolean[] live = p.live; // a machine's dead rows (offers rented or withdrawn) are not offers
        int n = 0;
        if (everySize) {
            for (int i = 0; i < m; i++) {
                int machine = machines[i];
                for (int r = firstOffer[machine]; r < firstOffer[machine + 1]; r++) {
                    rows[n] = r;
                    n += live[r] ? 1 : 0;
                }
            }
            return n;
        }
        boolean[] wanted = p.sizesWanted(wantedGroups);
        int[] gpus = p.gpusOf;
        for (int i = 0; i < m; i++) {
            int machine = machines[i];
            for (int r = firstOffer[machine]; r < firstOffer[machine + 1]; r++) {
                rows[n] = r;
                n += wanted[gpus[r]] & live[r] ? 1 : 0;
            }
        }
        return n;
    }
}
