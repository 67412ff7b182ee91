package io.gpumarket.core.search;

import io.gpumarket.core.offer.OfferFields.Kind;
import io.gpumarket.core.offer.PriceContext;

/**
 * One condition bound to one partition and one query. {@link #apply} keeps, in place, the rows of a selection
 * that pass; a condition whose outcome is the same for every row of the partition (its gpu_name, a constant
 * column, a price type, or a number column whose {@link ZoneMap} bounds decide it) is {@link #ALL} or
 * {@link #NONE}, so a partition can be skipped without a scan.
 *
 * <p>A condition on a column of the machine has the same outcome for all of a machine's offers; its
 * {@link #onMachines} form tests machines (indexes into the partition's machine columns) instead, so that a
 * scan can test each machine once and only then turn the survivors into their offers ({@link PartitionScan}).
 */
abstract class RowFilter {
    static final RowFilter ALL = new RowFilter() {
        @Override
        int apply(int[] rows, int n) {
            return n;
        }

        @Override
        RowFilter onMachines() {
            return this;
        }
    };
    static final RowFilter NONE = new RowFilter() {
        @Override
        int apply(int[] rows, int n) {
            return 0;
        }

        @Override
        RowFilter onMachines() {
            return this;
        }
    };

    /**
     * Compacts rows[0..n) to those that pass and returns how many do. The loops write every row and advance
     * only past the kept ones: no branch on the outcome, which on real markets is a coin flip the CPU would
     * mispredict half the time.
     */
    abstract int apply(int[] rows, int n);

    /** This condition as a filter of machine indexes, or null when it depends on the bundle. */
    RowFilter onMachines() {
        return null;
    }

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

        /**
         * How much binding to a partition costs, in dictionary entries a text condition reads (numbers are
         * decided from bounds in constant time, and so are constants). Binding the cheap conditions first lets a
         * partition that one of them excludes be skipped before a large dictionary is read: gpu_name has one
         * entry per partition, hostname one per machine.
         */
        int bindCost(Partition p) {
            if (textTest == null || column.where() == ColumnLayout.Where.CONSTANT) return 1;
            return p.normalized[column.slot()].length;
        }

        /**
         * Whether the condition holds for no offer of the partition: {@code bind(p, context) == NONE}, decided for a
         * text condition without allocating (PageFinder asks it of gpu_name once per model, every search).
         */
        boolean excludes(Partition p, PriceContext context) {
            if (textTest == null || column.where() != ColumnLayout.Where.MACHINE_TEXT) return bind(p, context) == NONE;
            for (String cell : p.normalized[column.slot()]) if (textTest.test(cell)) return false;
            return true;
        }

        RowFilter bind(Partition p, PriceContext context) {
            if (column == null) return ALL;
            if (textTest != null) {
                return switch (column.where()) {
                    case CONSTANT -> textTest.test((String) column.constant()) ? ALL : NONE;
                    case MACHINE_TEXT -> text(textTest, p, column.slot());
                    default ->
                        throw new IllegalStateException(
                                "text column " + column.field() + " stored as " + column.where());
                };
            }
            NumSource source = NumSource.of(column, p, context);
            if (source.bounds != null) {
                switch (numTest.over(source.bounds)) {
                    case ALL -> {
                        return ALL;
                    }
                    case NONE -> {
                        return NONE;
                    }
                    case SOME -> {}
                }
            }
            return switch (source.kind) {
                case CONSTANT -> numTest.test(source.constant) ? ALL : NONE;
                case MACHINE -> new PerMachine(numTest, source.values, p.machineOf);
                case OFFER -> new PerOffer(numTest, source.values);
                case MACHINE_COMPUTED -> new ComputedPerMachine(numTest, source, p);
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

    /** A number column indexed by the selection's entries: offer columns on rows, machine columns on machines. */
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
            for (int i = 0; i < n; i++) {
                int r = rows[i];
                rows[kept] = r;
                kept += test.test(values[machineOf[r]]) ? 1 : 0;
            }
            return kept;
        }

        @Override
        RowFilter onMachines() {
            return new PerOffer(test, values);
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

        @Override
        RowFilter onMachines() {
            return new MachineText(matches, codes);
        }
    }

    private static final class MachineText extends RowFilter {
        private final boolean[] matches;
        private final int[] codes;

        MachineText(boolean[] matches, int[] codes) {
            this.matches = matches;
            this.codes = codes;
        }

        @Override
        int apply(int[] machines, int n) {
            int kept = 0;
            for (int i = 0; i < n; i++) {
                int m = machines[i];
                machines[kept] = m;
                kept += matches[codes[m]] ? 1 : 0;
            }
            return kept;
        }
    }

    /** Tests precomputed values of the selection, position by position. */
    private static int keep(NumTest test, int[] selection, int n, double[] values) {
        int kept = 0;
        for (int i = 0; i < n; i++) {
            selection[kept] = selection[i];
            kept += test.test(values[i]) ? 1 : 0;
        }
        return kept;
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
            return keep(test, rows, n, source.gather(partition, rows, n, new double[n]));
        }
    }

    /** A column computed per machine (the listing's end date against the search time). */
    private static final class ComputedPerMachine extends RowFilter {
        private final NumTest test;
        private final NumSource source;
        private final Partition partition;

        ComputedPerMachine(NumTest test, NumSource source, Partition partition) {
            this.test = test;
            this.source = source;
            this.partition = partition;
        }

        @Override
        int apply(int[] rows, int n) {
            return keep(test, rows, n, source.gather(partition, rows, n, new double[n]));
        }

        @Override
        RowFilter onMachines() {
            return new RowFilter() {
                @Override
                int apply(int[] machines, int n) {
                    return keep(test, machines, n, source.gatherMachines(machines, n, new double[n]));
                }
            };
        }
    }
}
