package io.gpumarket.core.search;

import java.util.Arrays;

/**
 * A number condition as a test on one cell (NaN is null), with the null rules of {@link Condition}.
 *
 * <p>Every single-value operator is a closed range, possibly negated: {@code gt v} is {@code [nextUp(v), +∞]},
 * {@code lte v} is {@code [-∞, v]}, {@code eq v} is {@code [v, v]}, {@code neq v} is not {@code [v, v]}; a null
 * value makes the range empty. So the test is two comparisons and no branch on the operator, small enough
 * to inline into every filter loop whatever mix of operators a server sees.
 */
final class NumTest {
    private final double low;
    private final double high;
    /** Items of an in/notin list (nulls left out), sorted for binary search; null for single-value operators. */
    private final double[] items;

    private final boolean negate;
    private final boolean nullCellMatches;

    NumTest(Condition c) {
        Op op = c.op();
        this.negate = op == Op.NEQ || op == Op.NOTIN;
        this.nullCellMatches =
                op == Op.EQ ? c.value() == null : op == Op.IN && c.values().contains(null);
        if (op.takesList()) {
            this.items = c.values().stream()
                    .filter(v -> v != null)
                    .mapToDouble(v -> (Double) v + 0.0)
                    .sorted()
                    .toArray();
            this.low = 0;
            this.high = 0;
            return;
        }
        this.items = null;
        Double v = (Double) c.value();
        if (v == null) { // an empty range: nothing equals, exceeds or undercuts null
            this.low = Double.POSITIVE_INFINITY;
            this.high = Double.NEGATIVE_INFINITY;
            return;
        }
        double value = v;
        switch (op) {
            case EQ, NEQ -> {
                low = value;
                high = value;
            }
            case GT -> {
                low = Math.nextUp(value);
                high = Double.POSITIVE_INFINITY;
            }
            case GTE -> {
                low = value;
                high = Double.POSITIVE_INFINITY;
            }
            case LT -> {
                low = Double.NEGATIVE_INFINITY;
                high = Math.nextDown(value);
            }
            case LTE -> {
                low = Double.NEGATIVE_INFINITY;
                high = value;
            }
            default -> throw new IllegalArgumentException("not a single-value operator: " + op);
        }
    }

    /**
     * Written without a branch on the cell (non-short-circuit {@code &}, {@code |}, {@code ^}): inlined into a
     * filter loop it compiles to flag arithmetic, where a branch would be mispredicted on every other row of a
     * real market.
     */
    boolean test(double cell) {
        boolean isNull = Double.isNaN(cell);
        boolean hit = items == null ? cell >= low & cell <= high : contains(cell);
        return (hit ^ negate) & !isNull | isNull & nullCellMatches;
    }

    /** What this test says of every cell of a column, from the column's bounds alone. */
    enum Outcome {
        ALL,
        NONE,
        SOME
    }

    /**
     * ALL when every cell the bounds allow passes, NONE when none does, SOME otherwise. Exact for what it
     * claims: ALL and NONE are only said when the range (or list) and the bounds decide every cell.
     */
    Outcome over(ZoneMap.Bounds b) {
        boolean allValuesPass;
        boolean noValuePasses;
        if (b.values() == 0) {
            allValuesPass = true;
            noValuePasses = true;
        } else {
            boolean inside; // every value is in the range or list
            boolean outside; // no value is
            if (items == null) {
                inside = low <= b.min() && b.max() <= high;
                outside = b.max() < low || b.min() > high;
            } else {
                int i = Arrays.binarySearch(items, b.min() + 0.0);
                int next = i >= 0 ? i : -i - 1; // the first item >= min
                outside = next == items.length || items[next] > b.max();
                inside = b.min() == b.max() && i >= 0;
            }
            allValuesPass = negate ? outside : inside;
            noValuePasses = negate ? inside : outside;
        }
        boolean nulls = b.nulls() > 0;
        if (allValuesPass && (!nulls || nullCellMatches)) return Outcome.ALL;
        if (noValuePasses && (!nulls || !nullCellMatches)) return Outcome.NONE;
        return Outcome.SOME;
    }

    private boolean contains(double cell) {
        // + 0.0 folds -0.0 into 0.0, as for the items.
        return Arrays.binarySearch(items, cell + 0.0) >= 0;
    }
}
