package io.gpumarket.core.query;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.search.Op;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Filters, comparison and ordering over rows as a route renders them (column → value maps): the one engine behind the
 * instance list's and the template search's {@code select_filters} / {@code order_by}. Filters are the offer DSL's
 * operators ({@link Op}: eq neq gt gte lt lte in notin; a bare value is eq), values compare by their column's
 * {@link Kind}, and nulls sort first (last when descending). Operands may arrive as strings, as the vastai CLI sends
 * them; they are read as the column's kind when the query is parsed, so a bad one is refused before any row is read.
 *
 * <p>The offer search has its own compiled engine over the index ({@code core/search}); this one is for the short lists
 * a caller owns, where a linear pass over rendered rows is cheap and always agrees with what the caller is shown.
 *
 * @param order applied in order; the caller appends its tiebreak
 */
public record RowQuery(Schema schema, List<Filter> filters, List<Order> order) {
    /** How a column's values compare. */
    public enum Kind {
        NUMBER,
        STRING,
        BOOL
    }

    /** @param value one value, or a list for in / notin, already of the column's kind (numbers as doubles) */
    public record Filter(String column, Op op, Object value) {}

    public record Order(String column, boolean descending) {}

    /**
     * The columns a route lets callers filter and sort on, and how it words a refusal (each route kept its own words:
     * the code, and a prefix before the message).
     */
    public record Schema(Map<String, Kind> columns, String errorCode, String errorPrefix) {
        public Schema {
            columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        }

        /** The column's kind; null when it is not one of the columns. */
        public Kind kind(String column) {
            return columns.get(column);
        }

        public DomainException refusal(String message) {
            return new DomainException.BadRequest(errorCode, errorPrefix + message);
        }

        /**
         * Parses {@code select_filters}: {@code {column: {op: value, …}}}, or {@code {column: value}} for eq.
         *
         * @param kindOf the column's kind, or the route's refusal of a column it does not offer
         */
        public List<Filter> filters(Map<String, ?> selectFilters, Function<String, Kind> kindOf) {
            List<Filter> filters = new ArrayList<>();
            if (selectFilters == null) return filters;
            for (Map.Entry<String, ?> e : selectFilters.entrySet()) {
                Kind kind = kindOf.apply(e.getKey());
                Map<?, ?> ops = e.getValue() instanceof Map<?, ?> m ? m : Collections.singletonMap("eq", e.getValue());
                for (Map.Entry<?, ?> op : ops.entrySet()) {
                    Op o = op(e.getKey(), String.valueOf(op.getKey()));
                    filters.add(new Filter(e.getKey(), o, operand(e.getKey(), kind, o, op.getValue())));
                }
            }
            return filters;
        }

        /** An operator by its wire name, any case. */
        public Op op(String column, String name) {
            return Op.fromWire(name.toLowerCase(Locale.ROOT))
                    .orElseThrow(() -> refusal("unknown operator '" + name + "' for " + column
                            + "; use eq, neq, gt, gte, lt, lte, in or notin"));
        }

        /** The value a filter compares with, as the column's kind; in / notin take a list (a single value is one). */
        public Object operand(String column, Kind kind, Op op, Object value) {
            if (op.takesList()) {
                List<?> values = value instanceof List<?> l ? l : Collections.singletonList(value);
                List<Object> out = new ArrayList<>(values.size());
                for (Object v : values) out.add(scalar(column, kind, v));
                return out;
            }
            return scalar(column, kind, value);
        }

        private Object scalar(String column, Kind kind, Object v) {
            if (v == null) return null;
            if (v instanceof Map<?, ?> || v instanceof List<?>)
                throw refusal(column + " takes a single value, got " + v);
            String s = String.valueOf(v).strip();
            return switch (kind) {
                case STRING -> String.valueOf(v);
                case BOOL -> {
                    if (v instanceof Boolean b) yield b;
                    if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) yield Boolean.parseBoolean(s);
                    throw refusal(column + " takes true or false, got '" + v + "'");
                }
                case NUMBER -> {
                    if (v instanceof Number n) yield n.doubleValue();
                    double d;
                    try {
                        d = Double.parseDouble(s);
                    } catch (NumberFormatException e) {
                        throw refusal(column + " takes a number, got '" + v + "'");
                    }
                    // "Infinity" and "NaN" as text: no column holds them, and keyset pages compare with them
                    if (!Double.isFinite(d)) throw refusal(column + " takes a finite number, got '" + v + "'");
                    yield d;
                }
            };
        }
    }

    public RowQuery {
        filters = List.copyOf(filters);
        order = List.copyOf(order);
    }

    /** The rows every filter lets through, sorted by {@link #order}. */
    public List<Map<String, Object>> apply(List<Map<String, Object>> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> row : rows) if (matches(row)) out.add(row);
        if (!order.isEmpty()) out.sort(comparator());
        return out;
    }

    public boolean matches(Map<String, Object> row) {
        for (Filter f : filters) {
            if (!test(schema.kind(f.column()), row.get(f.column()), f.op(), f.value())) return false;
        }
        return true;
    }

    /** Rows by {@link #order}'s columns in turn; nulls first in ascending order. */
    public Comparator<Map<String, Object>> comparator() {
        Comparator<Map<String, Object>> c = (a, b) -> 0;
        for (Order o : order) {
            Kind kind = schema.kind(o.column());
            Comparator<Map<String, Object>> one = (a, b) -> compare(kind, a.get(o.column()), b.get(o.column()));
            c = c.thenComparing(o.descending() ? one.reversed() : one);
        }
        return c;
    }

    /** Two values of a column of {@code kind}; null before any value. */
    public static int compare(Kind kind, Object a, Object b) {
        if (a == null || b == null) return a == null ? (b == null ? 0 : -1) : 1;
        return switch (kind) {
            case NUMBER -> Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
            case BOOL -> ((Boolean) a).compareTo((Boolean) b);
            case STRING -> String.valueOf(a).compareTo(String.valueOf(b));
        };
    }

    private static boolean test(Kind kind, Object actual, Op op, Object operand) {
        return switch (op) {
            case EQ -> same(kind, actual, operand);
            case NEQ -> !same(kind, actual, operand);
            case IN -> ((List<?>) operand).stream().anyMatch(v -> same(kind, actual, v));
            case NOTIN -> ((List<?>) operand).stream().noneMatch(v -> same(kind, actual, v));
            case GT, GTE, LT, LTE -> {
                if (actual == null || operand == null) yield false;
                int c = compare(kind, actual, operand);
                yield switch (op) {
                    case GT -> c > 0;
                    case GTE -> c >= 0;
                    case LT -> c < 0;
                    default -> c <= 0;
                };
            }
        };
    }

    private static boolean same(Kind kind, Object actual, Object operand) {
        if (actual == null || operand == null) return Objects.equals(actual, operand);
        return compare(kind, actual, operand) == 0;
    }
}
