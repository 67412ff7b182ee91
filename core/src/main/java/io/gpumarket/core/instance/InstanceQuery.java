package io.gpumarket.core.instance;

import io.gpumarket.core.error.DomainException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The query of the paginated instance list ({@code GET /api/v1/instances/}, spec §b.2): {@code select_filters}
 * {@code {col: {op: value}}} with ops eq neq gt gte lt lte in notin, {@code order_by} {@code [{"col", "dir"}]}
 * with {@code id} as the tiebreak, {@code limit} (default 25, at most 25, 5 when not positive), and
 * {@code select_cols}. Applied to the caller's instances as rendered, so a filter on {@code actual_status} sees
 * the status the instance shows (including the heartbeat's unknown/offline). Only the stored fields in
 * {@link #COLUMNS} can be filtered or sorted on; computed ones such as {@code dph_total} are refused as Vast
 * refuses them. Pages are keyset pages: {@link Page#nextKey} is the sort key of the page's last row, and the
 * next page starts strictly after it, so rows added or removed meanwhile never shift a page.
 */
public record InstanceQuery(List<Filter> filters, List<Order> order, int limit, List<String> selectCols) {
    public static final int DEFAULT_LIMIT = 25;
    public static final int MAX_LIMIT = 25;
    /** What a non-positive limit means (Vast's behaviour). */
    public static final int NON_POSITIVE_LIMIT = 5;

    public enum Kind { NUMBER, STRING }

    public enum Op { EQ, NEQ, GT, GTE, LT, LTE, IN, NOTIN }

    /** The stored fields a list may be filtered and sorted on, and how their values compare. */
    public static final Map<String, Kind> COLUMNS = columns();

    /** @param value a single value, or a list for in / notin */
    public record Filter(String column, Op op, Object value) {}

    public record Order(String column, boolean descending) {}

    /**
     * @param total   rows matching the filters, over all pages
     * @param nextKey where the next page starts; null on the last page
     */
    public record Page(List<Map<String, Object>> rows, int total, List<Object> nextKey) {}

    public InstanceQuery {
        filters = List.copyOf(filters);
        order = List.copyOf(order);
        selectCols = List.copyOf(selectCols);
    }

    /** Parses the decoded query parameters; any of them may be null (absent). */
    public static InstanceQuery parse(Map<String, Object> selectFilters, List<?> orderBy, Object limit, List<?> selectCols) {
        List<Filter> filters = new ArrayList<>();
        if (selectFilters != null) {
            for (Map.Entry<String, Object> e : selectFilters.entrySet()) {
                Kind kind = kindOf(e.getKey(), "search key");
                if (e.getValue() instanceof Map<?, ?> ops) {
                    for (Map.Entry<?, ?> op : ops.entrySet()) {
                        Op o = op(e.getKey(), String.valueOf(op.getKey()));
                        filters.add(new Filter(e.getKey(), o, operand(e.getKey(), kind, o, op.getValue())));
                    }
                } else {
                    filters.add(new Filter(e.getKey(), Op.EQ, operand(e.getKey(), kind, Op.EQ, e.getValue())));
                }
            }
        }
        List<Order> order = new ArrayList<>();
        if (orderBy != null) {
            for (Object o : orderBy) {
                if (!(o instanceof Map<?, ?> m) || !(m.get("col") instanceof String col)) {
                    throw bad("invalid_request", "order_by entries must look like {\"col\": \"id\", \"dir\": \"asc\"}, got " + o);
                }
                kindOf(col, "order key");
                order.add(new Order(col, "desc".equalsIgnoreCase(String.valueOf(m.get("dir")))));
            }
        }
        if (order.stream().noneMatch(o -> o.column().equals("id"))) order.add(new Order("id", false));
        List<String> cols = new ArrayList<>();
        if (selectCols == null || selectCols.isEmpty()) cols.add("*");
        else for (Object c : selectCols) cols.add(String.valueOf(c));
        return new InstanceQuery(filters, order, limit(limit), cols);
    }

    /**
     * One page of {@code rows} (the caller's instances, rendered), after {@code after} (a previous page's
     * {@link Page#nextKey}, or null for the first page).
     */
    public Page page(List<Map<String, Object>> rows, List<Object> after) {
        Comparator<Map<String, Object>> byOrder = comparator();
        List<Map<String, Object>> matching = new ArrayList<>();
        for (Map<String, Object> row : rows) if (matches(row)) matching.add(row);
        matching.sort(byOrder);
        Map<String, Object> afterRow = after == null ? null : keyRow(after);
        List<Map<String, Object>> page = new ArrayList<>(limit);
        boolean more = false;
        for (Map<String, Object> row : matching) {
            if (afterRow != null && byOrder.compare(row, afterRow) <= 0) continue;
            if (page.size() == limit) {
                more = true;
                break;
            }
            page.add(row);
        }
        List<Object> next = more ? key(page.get(page.size() - 1)) : null;
        return new Page(page.stream().map(this::project).toList(), matching.size(), next);
    }

    public boolean matches(Map<String, Object> row) {
        for (Filter f : filters) {
            if (!test(COLUMNS.get(f.column()), row.get(f.column()), f.op(), f.value())) return false;
        }
        return true;
    }

    /** The sort key of a row: its values of the order columns, in order. */
    public List<Object> key(Map<String, Object> row) {
        List<Object> key = new ArrayList<>(order.size());
        for (Order o : order) key.add(row.get(o.column()));
        return key;
    }

    private Map<String, Object> keyRow(List<Object> after) {
        if (after.size() != order.size()) throw bad("invalid_token", "after_token does not belong to this order_by");
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < order.size(); i++) {
            Object v = after.get(i);
            Kind kind = COLUMNS.get(order.get(i).column());
            boolean fits = v == null || (kind == Kind.NUMBER ? v instanceof Number : v instanceof String);
            if (!fits) throw bad("invalid_token", "after_token does not belong to this order_by");
            row.put(order.get(i).column(), v);
        }
        return row;
    }

    private Map<String, Object> project(Map<String, Object> row) {
        if (selectCols.contains("*")) return row;
        Map<String, Object> out = new LinkedHashMap<>();
        for (String c : selectCols) out.put(c, row.get(c));
        return out;
    }

    private Comparator<Map<String, Object>> comparator() {
        Comparator<Map<String, Object>> c = null;
        for (Order o : order) {
            Kind kind = COLUMNS.get(o.column());
            Comparator<Map<String, Object>> one = (a, b) -> compare(kind, a.get(o.column()), b.get(o.column()));
            if (o.descending()) one = one.reversed();
            c = c == null ? one : c.thenComparing(one);
        }
        return c;
    }

    /** Nulls sort first. */
    private static int compare(Kind kind, Object a, Object b) {
        if (a == null || b == null) return a == null ? (b == null ? 0 : -1) : 1;
        if (kind == Kind.NUMBER) return Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
        return String.valueOf(a).compareTo(String.valueOf(b));
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

    private static Kind kindOf(String column, String what) {
        Kind kind = COLUMNS.get(column);
        if (kind == null) throw bad("invalid_request", "Error in query parameters: " + column + " is not a valid " + what);
        return kind;
    }

    private static Op op(String column, String name) {
        try {
            return Op.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw bad("invalid_request", "Error in query parameters: unknown operator '" + name + "' for " + column
                    + "; use eq, neq, gt, gte, lt, lte, in or notin");
        }
    }

    /** Numbers may arrive as strings ("1"), as the vastai CLI sends them; in / notin take lists. */
    private static Object operand(String column, Kind kind, Op op, Object value) {
        if (op == Op.IN || op == Op.NOTIN) {
            List<?> values = value instanceof List<?> l ? l : java.util.Collections.singletonList(value);
            List<Object> out = new ArrayList<>(values.size());
            for (Object v : values) out.add(scalar(column, kind, v));
            return out;
        }
        return scalar(column, kind, value);
    }

    private static Object scalar(String column, Kind kind, Object v) {
        if (v == null) return null;
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
            throw bad("invalid_request", "Error in query parameters: " + column + " takes a single value, got " + v);
        }
        if (kind == Kind.STRING) return String.valueOf(v);
        if (v instanceof Number n) return n.doubleValue();
        double d;
        try {
            d = Double.parseDouble(String.valueOf(v).strip());
        } catch (NumberFormatException e) {
            throw bad("invalid_request", "Error in query parameters: " + column + " takes a number, got '" + v + "'");
        }
        // "Infinity" and "NaN" as text: no column holds them, and the keyset pages compare with them
        if (!Double.isFinite(d)) throw bad("invalid_request", "Error in query parameters: " + column + " takes a finite number, got '" + v + "'");
        return d;
    }

    private static int limit(Object limit) {
        if (limit == null) return DEFAULT_LIMIT;
        long n;
        try {
            n = limit instanceof Number num ? num.longValue() : (long) Double.parseDouble(String.valueOf(limit).strip());
        } catch (NumberFormatException e) {
            throw bad("invalid_request", "Error in query parameters: limit must be a number, got '" + limit + "'");
        }
        if (n <= 0) return NON_POSITIVE_LIMIT;
        return (int) Math.min(n, MAX_LIMIT);
    }

    private static Map<String, Kind> columns() {
        Map<String, Kind> c = new LinkedHashMap<>();
        for (String n : List.of("id", "machine_id", "host_id", "bundle_id", "num_gpus", "disk_space", "start_date",
                "ssh_port")) {
            c.put(n, Kind.NUMBER);
        }
        for (String s : List.of("actual_status", "intended_status", "cur_state", "next_state", "label", "gpu_name",
                "verification", "image_uuid", "image_runtype", "geolocation", "status_msg", "public_ipaddr")) {
            c.put(s, Kind.STRING);
        }
        return java.util.Collections.unmodifiableMap(c);
    }

    private static DomainException bad(String code, String msg) {
        return new DomainException.BadRequest(code, msg);
    }
}
