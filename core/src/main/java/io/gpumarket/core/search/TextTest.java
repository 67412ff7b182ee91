package io.gpumarket.core.search;

/**
 * A text condition as a test on one normalized cell, with the null rules of {@link Condition} and the
 * geolocation rule: a two-letter value is a country code and compares with the cell's last two letters.
 */
final class TextTest {
    private final Condition condition;
    private final boolean geolocation;

    TextTest(Condition condition) {
        this.condition = condition;
        this.geolocation = condition.field().equals("geolocation");
    }

    boolean test(String cell) {
        Op op = condition.op();
        if (cell == null) {
            return op == Op.EQ ? condition.value() == null : op == Op.IN && condition.values().contains(null);
        }
        return switch (op) {
            case EQ -> condition.value() != null && compare(cell, (String) condition.value()) == 0;
            case NEQ -> condition.value() == null || compare(cell, (String) condition.value()) != 0;
            case GT -> condition.value() != null && compare(cell, (String) condition.value()) > 0;
            case GTE -> condition.value() != null && compare(cell, (String) condition.value()) >= 0;
            case LT -> condition.value() != null && compare(cell, (String) condition.value()) < 0;
            case LTE -> condition.value() != null && compare(cell, (String) condition.value()) <= 0;
            case IN -> inList(cell);
            case NOTIN -> !inList(cell);
        };
    }

    private boolean inList(String cell) {
        for (Object v : condition.values()) {
            if (v != null && compare(cell, (String) v) == 0) return true;
        }
        return false;
    }

    private int compare(String cell, String value) {
        if (geolocation && value.length() == 2 && cell.length() >= 2) return cell.substring(cell.length() - 2).compareTo(value);
        return cell.compareTo(value);
    }
}
