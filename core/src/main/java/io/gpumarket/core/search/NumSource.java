package io.gpumarket.core.search;

import io.gpumarket.core.offer.PriceContext;
import java.util.Arrays;

/**
 * Where one query reads a number column of one partition: a constant, a per-machine or per-offer stored
 * array, or values computed from stored columns and the query's prices ({@link QueryColumns}). Null is NaN.
 */
final class NumSource {
    enum Kind { CONSTANT, MACHINE, OFFER, COMPUTED }

    /** Writes the values of rows[0..n) to out[0..n). */
    @FunctionalInterface
    interface Computed {
        void fill(int[] rows, int n, double[] out);
    }

    final Kind kind;
    final double constant;
    final double[] values;
    final Computed computed;

    private NumSource(Kind kind, double constant, double[] values, Computed computed) {
        this.kind = kind;
        this.constant = constant;
        this.values = values;
        this.computed = computed;
    }

    static NumSource constant(double v) {
        return new NumSource(Kind.CONSTANT, v, null, null);
    }

    static NumSource perMachine(double[] values) {
        return new NumSource(Kind.MACHINE, 0, values, null);
    }

    static NumSource perOffer(double[] values) {
        return new NumSource(Kind.OFFER, 0, values, null);
    }

    static NumSource computed(Computed computed) {
        return new NumSource(Kind.COMPUTED, 0, null, computed);
    }

    /** Where a stored or computed number column of this partition is read for this query. */
    static NumSource of(ColumnLayout.Column column, Partition p, PriceContext context) {
        return switch (column.where()) {
            case CONSTANT -> constant((Double) column.constant());
            case MACHINE_NUMBER -> perMachine(p.machineNumbers[column.slot()]);
            case OFFER_NUMBER -> perOffer(p.offerNumbers[column.slot()]);
            case QUERY -> QueryColumns.resolve(column.field(), p, context);
            case MACHINE_TEXT -> throw new IllegalStateException("text column " + column.field() + " read as a number");
        };
    }

    /** The values of rows[0..n), position by position. */
    double[] gather(Partition p, int[] rows, int n) {
        double[] out = new double[n];
        switch (kind) {
            case CONSTANT -> Arrays.fill(out, constant);
            case MACHINE -> {
                int[] machineOf = p.machineOf;
                for (int i = 0; i < n; i++) out[i] = values[machineOf[rows[i]]];
            }
            case OFFER -> {
                for (int i = 0; i < n; i++) out[i] = values[rows[i]];
            }
            case COMPUTED -> computed.fill(rows, n, out);
        }
        return out;
    }
}
