package io.gpumarket.core.search;

import java.util.ArrayList;
import java.util.List;

/**
 * A text condition as a test on one normalized cell, with the null rules of {@link Condition} and the
 * geolocation rule: a two-letter value is a country code and compares with the cell's last two letters.
 * Binding a condition tests every entry of a partition's dictionary, so the values are unpacked once here.
 */
final class TextTest {
    private final Op op;
    private final boolean geolocation;
    /** The value of a single-value operator (null for null); the non-null items of in/notin. */
    private final String value;

    private final String[] items;
    private final boolean nullCellMatches;

    TextTest(Condition condition) {
        this.op = condition.op();
        this.geolocation = condition.field().equals("geolocation");
        this.value = op.takesList() ? null : (String) condition.value();
        List<String> items = new ArrayList<>();
        for (Object v : condition.values()) if (v != null) items.add((String) v);
        this.items = items.toArray(String[]::new);
        this.nullCellMatches = op == Op.EQ
                ? condition.value() == null
                : op == Op.IN && condition.values().contains(null);
    }

    boolean test(String cell) {
        if (cell == null) return nullCellMatches;
        return switch (op) {
            case EQ -> value != null && compare(cell, value) == 0;
            case NEQ -> value == null || compare(cell, value) != 0;
            case GT -> value != null && compare(cell, value) > 0;
            case GTE -> value != null && compare(cell, value) >= 0;
            case LT -> value != null && compare(cell, value) < 0;
            case LTE -> value != null && compare(cell, value) <= 0;
            case IN -> inList(cell);
            case NOTIN -> !inList(cell);
        };
    }

    private boolean inList(String cell) {
        for (String item : items) {
            if (compare(cell, item) == 0) return true;
        }
        return false;
    }

    private int compare(String cell, String value) {
        if (geolocation && value.length() == 2 && cell.length() >= 2) {
            // The country code's two letters against the value's, as compareTo would order them (no substring:
            // this runs for every dictionary entry of every partition a search binds).
            int at = cell.length() - 2;
            int c = cell.charAt(at) - value.charAt(0);
            return c != 0 ? c : cell.charAt(at + 1) - value.charAt(1);
        }
        return cell.compareTo(value);
    }
}
