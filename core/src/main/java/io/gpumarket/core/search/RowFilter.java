package io.gpumarket.core.search;

import io.gpumarket.core.offer.OfferFields.Kind;
import io.gpumarket.core.offer.PriceContext;

/**
 * One condition bound to one partition and one query. {@link #apply} keeps, in place, the rows of a selection
 * that pass; a condition whose outcome is the same for every row of the partition (its gpu_name, a constant
 * column, a price type) is {@link #ALL} or {@link #NONE}, so a partition can be skipped without a scan.
 */
abstract class RowFilter {
    static final RowFilter ALL = new RowFilter() {
        @Override
        int apply(int[] rows, int n) {
            return n;
        }
    };
    static final RowFilter NONE = new RowFilter() {
        @Override
        int apply(int[] rows, int n) {
            return 0;
        }
    };

    /**
     * Compacts rows[0..n) to those that pass and returns how many do. The loops write every row and advance
     * only past the kept ones: no branch on the outcome, which on real markets is a coin flip the CPU would
     * mispredict half the time.
     */
    abstract int apply(int[] rows, int n);

    /** A condition's column and test, prepared once per query and bound to each partition. */
    static final class Prepared {
        /** A condition the scan has applied already by choosing its starting rows: every row passes. */
        static final Prepared ALREADY_APPLIED = new Prepared();

        private final ColumnLayout.Column column;
        private final NumTest numTest;
        private final TextTest textTest;

        private Prepared() {
            this.column = null;
            this.numTest = null;
            this.textTest = null;
        }

        Prepared(Condition c) {
            this.column = ColumnLayout.column(c.field());
            boolean text = column.kind() == Kind.STRING;
            this.numTest = text ? null : new NumTest(c);
            this.textTest = text ? new TextTest(c) : null;
        }

        /** Text and constant columns are decided per dictionary entry or once, so binding them is cheap. */
        boolean cheapToBind() {
            return column == null || textTest != null || column.where() == ColumnLayout.Where.CONSTANT;
        }

        RowFilter bind(Partition p, PriceContext context) {
            if (column == null) return ALL;
            if (textTest != null) {
                return switch (column.where()) {
                    case CONSTANT -> textTest.test((String) column.constant()) ? ALL : NONE;
                    case MACHINE_TEXT -> text(textTest, p, column.slot());
                    default -> throw new IllegalStateException("text column " + column.field() + " stored as " + column.where());
                };
            }
            NumSource source = NumSource.of(column, p, context);
            return switch (source.kind) {
                case CONSTANT -> numTest.test(source.constant) ? ALL : NONE;
                case MACHINE -> new PerMachine(numTest, source.values, p.machineOf);
                case OFFER -> new PerOffer(numTest, source.values);
                case COMPUTED -> new Computed(numTest, source, p);
            };
        }
    }

    /** Text tests run once per dictionary entry; rows then look their entry up. */
    private static RowFilter text(TextTest test, Partition p, int slot) {
        String[] dict = p.normalized[slot];
        boolean[] matches = new boolean[dict.length];
        boolean any = false;
        boolean all = true;
        for (int code = 0; code < dict.length; code++) {
            matches[code] = test.test(dict[code]);
            any |= matches[code];
            all &= matches[code];
        }
        if (!any) return NONE;
        if (all) return ALL;
        return new PerMachineText(matches, p.machineCodes[slot], p.machineOf);
    }

    private static final class PerOffer extends RowFilter {
        private final NumTest test;
        private final double[] values;

        PerOffer(NumTest test, double[] values) {
            this.test = test;
            this.values = values;
        }

        @Override
        int apply(int[] rows, int n) {
            int kept = 0;
            for (int i = 0; i < n; i++) {
                int r = rows[i];
                rows[kept] = r;
                kept += test.test(values[r]) ? 1 : 0;
            }
            return kept;
        }
    }

    private static final class PerMachine extends RowFilter {
        private final NumTest test;
        private final double[] values;
        private final int[] machineOf;

        PerMachine(NumTest test, double[] values, int[] machineOf) {
            this.test = test;
            this.values = values;
            this.machineOf = machineOf;
        }

        @Override
        int apply(int[] rows, int n) {
            int kept = 0;
            if (n > values.length) {
                // More rows than machines: test each machine once, then let its offers look the answer up.
                boolean[] passes = new boolean[values.length];
                for (int m = 0; m < passes.length; m++) passes[m] = test.test(values[m]);
                for (int i = 0; i < n; i++) {
                    int r = rows[i];
                    rows[kept] = r;
                    kept += passes[machineOf[r]] ? 1 : 0;
                }
                return kept;
            }
            for (int i = 0; i < n; i++) {
                int r = rows[i];
                rows[kept] = r;
                kept += test.test(values[machineOf[r]]) ? 1 : 0;
            }
            return kept;
        }
    }

    private static final class PerMachineText extends RowFilter {
        private final boolean[] matches;
        private final int[] codes;
        private final int[] machineOf;

        PerMachineText(boolean[] matches, int[] codes, int[] machineOf) {
            this.matches = matches;
            this.codes = codes;
            this.machineOf = machineOf;
        }

        @Override
        int apply(int[] rows, int n) {
            int kept = 0;
            for (int i = 0; i < n; i++) {
                int r = rows[i];
                rows[kept] = r;
                kept += matches[codes[machineOf[r]]] ? 1 : 0;
            }
            return kept;
        }
    }

    /** Computes the selected rows' values first (one pass), then tests them. */
    private static final class Computed extends RowFilter {
        private final NumTest test;
        private final NumSource source;
        private final Partition partition;

        Computed(NumTest test, NumSource source, Partition partition) {
            this.test = test;
            this.source = source;
            this.partition = partition;
        }

        @Override
        int apply(int[] rows, int n) {
            double[] values = source.gather(partition, rows, n);
            int kept = 0;
            for (int i = 0; i < n; i++) {
                rows[kept] = rows[i];
                kept += test.test(values[i]) ? 1 : 0;
            }
            return kept;
        }
    }
}
