package io.gpumarket.core.instance;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.query.RowQuery;
import io.gpumarket.core.query.RowQuery.Kind;
import io.gpumarket.core.query.RowQuery.Order;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The query of the paginated instance list ({@code GET /api/v1/instances/}, docs/vast-compatibility.md §b.2): {@code select_filters}
 * {@code {col: {op: value}}} with ops eq neq gt gte lt lte in notin, {@code order_by} {@code [{"col", "dir"}]}
 * with {@code id} as the tiebreak, {@code limit} (default 25, at most 25, 5 when not positive), and
 * {@code select_cols}. Applied to the caller's instances as rendered, so a filter on {@code actual_status} sees
 * the status the instance shows (including the heartbeat's unknown/offline). Only the stored fields in
 * {@link #COLUMNS} can be filtered or sorted on; computed ones such as {@code dph_total} are refused as Vast
 * refuses them. Pages are keyset pages: {@link Page#nextKey} is the sort key of the page's last row, and the
 * next page starts strictly after it, so rows added or removed meanwhile never shift a page. Filters, comparison and
 * order are the shared {@link RowQuery}'s; refusals are {@code invalid_request} "Error in query parameters: …".
 */
public record InstanceQuery(RowQuery rows, int limit, List<String> selectCols) {
    public static final int DEFAULT_LIMIT = 25;
    public static final int MAX_LIMIT = 25;
    /** What a non-positive limit means (Vast's behaviour). */
    public static final int NON_POSITIVE_LIMIT = 5;

    /** The stored fields a list may be filtered and sorted on, and how their values compare. */
    public static final Map<String, Kind> COLUMNS = columns();

    private static final RowQuery.Schema SCHEMA =
            new RowQuery.Schema(COLUMNS, "invalid_request", "Error in query parameters: ");

    /**
     * @param total   rows matching the filters, over all pages
     * @param nextKey where the next page starts; null on the last page
     */
    public record Page(List<Map<String, Object>> rows, int total, List<Object> nextKey) {}

    public InstanceQuery {
        selectCols = List.copyOf(selectCols);
    }

    /** Parses the decoded query parameters; any of them may be null (absent). */
    public static InstanceQuery parse(
            Map<String, Object> selectFilters, List<?> orderBy, Object limit, List<?> selectCols) {
        List<RowQuery.Filter> filters = SCHEMA.filters(selectFilters, column -> kindOf(column, "search key"));
        List<Order> order = new ArrayList<>();
        if (orderBy != null) {
            for (Object o : orderBy) {
                if (!(o instanceof Map<?, ?> m) || !(m.get("col") instanceof String col)) {
                    throw bad(
                            "invalid_request",
                            "order_by entries must look like {\"col\": \"id\", \"dir\": \"asc\"}, got " + o);
                }
                kindOf(col, "order key");
                order.add(new Order(col, "desc".equalsIgnoreCase(String.valueOf(m.get("dir")))));
            }
        }
        if (order.stream().noneMatch(o -> o.column().equals("id"))) order.add(new Order("id", false));
        List<String> cols = new ArrayList<>();
        if (selectCols == null || selectCols.isEmpty()) cols.add("*");
        else for (Object c : selectCols) cols.add(String.valueOf(c));
        return new InstanceQuery(new RowQuery(SCHEMA, filters, order), limit(limit), cols);
    }

    /** The sort order, the id last (as the tiebreak) unless the caller placed it. */
    public List<Order> order() {
        return rows.order();
    }

    /**
     * One page of {@code rows} (the caller's instances, rendered), after {@code after} (a previous page's
     * {@link Page#nextKey}, or null for the first page).
     */
    public Page page(List<Map<String, Object>> all, List<Object> after) {
        Comparator<Map<String, Object>> byOrder = rows.comparator();
        List<Map<String, Object>> matching = rows.apply(all);
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
        return rows.matches(row);
    }

    /** The sort key of a row: its values of the order columns, in order. */
    public List<Object> key(Map<String, Object> row) {
        List<Object> key = new ArrayList<>(order().size());
        for (Order o : order()) key.add(row.get(o.column()));
        return key;
    }

    private Map<String, Object> keyRow(List<Object> after) {
        List<Order> order = order();
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

    private static Kind kindOf(String column, String what) {
        Kind kind = COLUMNS.get(column);
        if (kind == null) throw SCHEMA.refusal(column + " is not a valid " + what);
        return kind;
    }

    private static int limit(Object limit) {
        if (limit == null) return DEFAULT_LIMIT;
        long n;
        try {
            n = limit instanceof Number num
                    ? num.longValue()
                    : (long) Double.parseDouble(String.valueOf(limit).strip());
        } catch (NumberFormatException e) {
            throw SCHEMA.refusal("limit must be a number, got '" + limit + "'");
        }
        if (n <= 0) return NON_POSITIVE_LIMIT;
        return (int) Math.min(n, MAX_LIMIT);
    }

    private static Map<String, Kind> columns() {
        Map<String, Kind> c = new LinkedHashMap<>();
        for (String n : List.of(
                "id", "machine_id", "host_id", "bundle_id", "num_gpus", "disk_space", "start_date", "ssh_port")) {
            c.put(n, Kind.NUMBER);
        }
        for (String s : List.of(
                "actual_status",
                "intended_status",
                "cur_state",
                "next_state",
                "label",
                "gpu_name",
                "verification",
                "image_uuid",
                "image_runtype",
                "geolocation",
                "status_msg",
                "public_ipaddr")) {
            c.put(s, Kind.STRING);
        }
        return java.util.Collections.unmodifiableMap(c);
    }

    private static DomainException bad(String code, String msg) {
        return new DomainException.BadRequest(code, msg);
    }
}
