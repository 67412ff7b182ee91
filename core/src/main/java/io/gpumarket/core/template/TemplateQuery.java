package io.gpumarket.core.template;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.query.RowQuery;
import io.gpumarket.core.query.RowQuery.Kind;
import io.gpumarket.core.query.RowQuery.Order;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Template search ({@code GET /template/?select_filters=…&order_by=…}, docs/vast-compatibility.md §b.4, §g.1): {@code {field: {op:
 * value}}} with the offer DSL's operators (eq neq gt gte lt lte in notin; a bare value is eq) over the search
 * fields of §g.1, applied to the templates the caller may see as they are shown. Numbers and booleans may arrive
 * as strings, as the vastai CLI sends them. {@code order_by} is one field name (ascending; {@code -name} or
 * {@code "name desc"} for descending); the id breaks ties. Filters, comparison and order are the shared
 * {@link RowQuery}'s; refusals are {@code invalid_args}.
 */
public record TemplateQuery(RowQuery rows, String orderBy, boolean descending) {
    /** The searchable fields and how their values compare. */
    public static final Map<String, Kind> FIELDS = fields();

    private static final RowQuery.Schema SCHEMA = new RowQuery.Schema(FIELDS, "invalid_args", "");

    /** @param selectFilters the decoded select_filters (null when absent); @param orderBy the raw order_by (null when absent) */
    public static TemplateQuery parse(Map<String, ?> selectFilters, String orderBy) {
        List<RowQuery.Filter> filters = SCHEMA.filters(selectFilters, TemplateQuery::kind);
        String order = "id";
        boolean desc = false;
        if (orderBy != null && !orderBy.isBlank()) {
            String o = orderBy.strip();
            if (o.startsWith("-")) {
                desc = true;
                o = o.substring(1);
            } else if (o.toLowerCase(Locale.ROOT).matches(".+\\s+(asc|desc)")) {
                desc = o.toLowerCase(Locale.ROOT).endsWith("desc");
                o = o.split("\\s+")[0];
            }
            kind(o);
            order = o;
        }
        List<Order> sort = new ArrayList<>(List.of(new Order(order, desc)));
        if (!order.equals("id")) sort.add(new Order("id", false));
        return new TemplateQuery(new RowQuery(SCHEMA, filters, sort), order, desc);
    }

    /** The rows that match, sorted. */
    public List<Map<String, Object>> apply(List<Map<String, Object>> all) {
        return rows.apply(all);
    }

    public boolean matches(Map<String, Object> row) {
        return rows.matches(row);
    }

    private static Kind kind(String field) {
        Kind k = FIELDS.get(field);
        if (k == null) {
            throw new DomainException.BadRequest(
                    "invalid_args",
                    "'" + field + "' is not a template search field; use " + String.join(", ", FIELDS.keySet()));
        }
        return k;
    }

    private static Map<String, Kind> fields() {
        Map<String, Kind> f = new LinkedHashMap<>();
        for (String n : List.of(
                "id", "creator_id", "created_at", "count_created", "recent_create_date", "recommended_disk_space")) {
            f.put(n, Kind.NUMBER);
        }
        for (String s : List.of("name", "image", "tag", "default_tag", "hash_id", "docker_login_repo"))
            f.put(s, Kind.STRING);
        for (String b : List.of("jup_direct", "ssh_direct", "use_ssh", "recommended", "private")) f.put(b, Kind.BOOL);
        return java.util.Collections.unmodifiableMap(f);
    }
}
