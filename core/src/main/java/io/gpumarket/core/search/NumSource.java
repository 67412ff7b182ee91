package io.gpumarket.core.search;

import io.gpumarket.core.offer.PriceContext;
import java.util.Arrays;

/**
 * Where one query reads a number column of one partition: a constant, a per-machine or per-offer stored
 * array, or values computed from stored columns and the query's prices ({@link QueryColumns}), either per
 * machine (the listing's end date against the search time) or per offer (prices). Null is NaN.
 *
 * <p>{@link #bounds} holds every value of the column in this partition when it is known (stored columns
 * from the partition's {@link ZoneMap}, computed ones from their inputs' bounds), else null.
 */
final class NumSource {
    enum Kind {
        CONSTANT,
        MACHINE,
        OFFER,
        MACHINE_COMPUTED,
        COMPUTED
    }

    /** Writes the values of indexes[0..n) (offer rows, or machines for MACHINE_COMPUTED) to out[0..n). */
    @FunctionalInterface
    interface Computed {
        void fill(int[] indexes, int n, double[] out);
    }

    final Kind kind;
    final double constant;
    final double[] values;
    final Computed computed;
    final ZoneMap.Bounds bounds;

    private NumSource(Kind kind, double constant, double[] values, Computed computed, ZoneMap.Bounds bounds) {
        this.kind = kind;
        this.constant = constant;
        this.values = values;
        this.computed = computed;
        this.bounds = bounds;
    }

    static NumSource constant(double v) {
        return new NumSource(
                Kind.CONSTANT,
                v,
                null,
                null,
                Double.isNaN(v) ? new ZoneMap.Bounds(0, 0, 0, 1) : ZoneMap.Bounds.of(v, v, false));
    }

    static NumSource perMachine(double[] values, ZoneMap.Bounds bounds) {
        return new NumSource(Kind.MACHINE, 0, values, null, bounds);
    }

    static NumSource perOffer(double[] values, ZoneMap.Bounds bounds) {
        return new NumSource(Kind.OFFER, 0, values, null, bounds);
    }

    static NumSource perMachineComputed(Computed computed, ZoneMap.Bounds bounds) {
        return new NumSource(Kind.MACHINE_COMPUTED, 0, null, computed, bounds);
    }

    static NumSource computed(Computed computed, ZoneMap.Bounds bounds) {
        return new NumSource(Kind.COMPUTED, 0, null, computed, bounds);
    }

    /** Where a stored or computed number column of this partition is read for this query. */
    static NumSource of(ColumnLayout.Column column, Partition p, PriceContext context) {
        return switch (column.where()) {
            case CONSTANT -> constant((Double) column.constant());
            case MACHINE_NUMBER -> perMachine(p.machineNumbers[column.slot()], p.machineZones.bounds(column.slot()));
            case OFFER_NUMBER -> perOffer(p.offerNumbers[column.slot()], p.offerZones.bounds(column.slot()));
            case QUERY -> QueryColumns.resolve(column.field(), p, context);
            case MACHINE_TEXT -> throw new IllegalStateException("text column " + column.field() + " read as a number");
        };
    }

    /** The values of rows[0..n), position by position, into out (at least n long). */
    double[] gather(Partition p, int[] rows, int n, double[] out) {
        switch (kind) {
            case CONSTANT -> Arrays.fill(out, 0, n, constant);
            case MACHINE -> {
                int[] machineOf = p.machineOf;
                for (int i = 0; i < n; i++) out[i] = values[machineOf[rows[i]]];
            }
            case OFFER -> {
                for (int i = 0; i < n; i++) out[i] = values[rows[i]];
            }
            case MACHINE_COMPUTED -> {
                int[] machines = new int[n];
                int[] machineOf = p.machineOf;
                for (int i = 0; i < n; i++) machines[i] = machineOf[rows[i]];
                computed.fill(machines, n, out);
            }
            case COMPUTED -> computed.fill(rows, n, out);
        }
        return out;
    }

    /** The values of machines[0..n) (machine indexes) into out; only for columns that vary by machine at most. */
    double[] gatherMachines(int[] machines, int n, double[] out) {
        switch (kind) {
            case CONSTANT -> Arrays.fill(out, 0, n, constant);
            case MACHINE -> {
                for (int i = 0; i < n; i++) out[i] = values[machines[i]];
            }
            case MACHINE_COMPUTED -> computed.fill(machines, n, out);
            default -> throw new IllegalStateException(kind + " column read per machine");
        }
        return out;
    }
}
