package io.gpumarket.core.template;

import io.gpumarket.core.error.DomainException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Template search ({@code GET /template/?select_filters=…&order_by=…}, spec §b.4, §g.1): {@code {field: {op:
 * value}}} with the offer DSL's operators (eq neq gt gte lt lte in notin; a bare value is eq) over the search
 * fields of §g.1, applied to the templates the caller may see as they are shown. Numbers and booleans may arrive
 * as strings, as the vastai CLI sends them. {@code order_by} is one field name (ascending; {@code -name} or
 * {@code "name desc"} for descending); the id breaks ties.
 */
public record TemplateQuery(List<Filter> filters, String orderBy, boolean descending) {
    public enum Kind { NUMBER, STRING, BOOL }

    public enum Op { EQ, NEQ, GT, GTE, LT, LTE, IN, NOTIN }

    /** The searchable fields and how their values compare. */
    public static final Map<String, Kind> FIELDS = fields();

    /** @param value one value, or a list for in / notin, already of the field's kind */
    public record Filter(String field, Op op, Object value) {}

    public TemplateQuery {
        filters = List.copyOf(filters);
    }

    /** @param selectFilters the decoded select_filters (null when absent); @param orderBy the raw order_by (null when absent) */
    public static TemplateQuery parse(Map<String, ?> selectFilters, String orderBy) {
        List<Filter> filters = new ArrayList<>();
        if (selectFilters != null) {
            for (Map.Entry<String, ?> e : selectFilters.entrySet()) {
                Kind kind = kind(e.getKey());
                Map<?, ?> ops = e.getValue() instanceof Map<?, ?> m ? m : java.util.Collections.singletonMap("eq", e.getValue());
                for (Map.Entry<?, ?> op : ops.entrySet()) {
                    Op o = op(e.getKey(), String.valueOf(op.getKey()));
                    filters.add(new Filter(e.getKey(), o, operand(e.getKey(), kind, o, op.getValue())));
                }
            }
        }
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
        return new TemplateQuery(filters, order, desc);
    }

    /** The rows that match, sorted. */
    public List<Map<String, Object>> apply(List<Map<String, Object>> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> row : rows) if (matches(row)) out.add(row);
        Kind kind = FIELDS.get(orderBy);
        Comparator<Map<String, Object>> c = (a, b) -> compare(kind, a.get(orderBy), b.get(orderBy));
        if (descending) c = c.reversed();
        out.sort(c.thenComparing((a, b) -> compare(Kind.NUMBER, a.get("id"), b.get("id"))));
        return out;
    }

    public boolean matches(Map<String, Object> row) {
        for (Filter f : filters) {
            Kind kind = FIELDS.get(f.field());
            Object actual = normal(kind, row.get(f.field()));
            boolean ok = switch (f.op()) {
                case EQ -> same(kind, actual, f.value());
                case NEQ -> !same(kind, actual, f.value());
                case IN -> ((List<?>) f.value()).stream().anyMatch(v -> same(kind, actual, v));
                case NOTIN -> ((List<?>) f.value()).stream().noneMatch(v -> same(kind, actual, v));
                default -> {
                    if (actual == null || f.value() == null) yield false;
                    int c = compare(kind, actual, f.value());
                    yield switch (f.op()) {
                        case GT -> c > 0;
                        case GTE -> c >= 0;
                        case LT -> c < 0;
                        default -> c <= 0;
                    };
                }
            };
            if (!ok) return false;
        }
        return true;
    }

    private static Object normal(Kind kind, Object v) {
        if (v == null) return null;
        return switch (kind) {
            case NUMBER -> ((Number) v).doubleValue();
            case BOOL -> (Boolean) v;
            case STRING -> String.valueOf(v);
        };
    }

    private static boolean same(Kind kind, Object a, Object b) {
        if (a == null || b == null) return Objects.equals(a, b);
        return compare(kind, a, b) == 0;
    }

    /** Nulls first. */
    @SuppressWarnings("unchecked")
    private static int compare(Kind kind, Object a, Object b) {
        if (a == null || b == null) return a == null ? (b == null ? 0 : -1) : 1;
        if (kind == Kind.NUMBER) return Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
        return ((Comparable<Object>) normal(kind, a)).compareTo(normal(kind, b));
    }

    private static Kind kind(String field) {
        Kind k = FIELDS.get(field);
        if (k == null) {
            throw new DomainException.BadRequest("invalid_args", "'" + field + "' is not a template search field; use "
                    + String.join(", ", FIELDS.keySet()));
        }
        return k;
    }

    private static Op op(String field, String name) {
        try {
            return Op.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new DomainException.BadRequest("invalid_args", "unknown operator '" + name + "' for " + field
                    + "; use eq, neq, gt, gte, lt, lte, in or notin");
        }
    }

    private static Object operand(String field, Kind kind, Op op, Object value) {
        if (op == Op.IN || op == Op.NOTIN) {
            List<?> values = value instanceof List<?> l ? l : java.util.Collections.singletonList(value);
            List<Object> out = new ArrayList<>(values.size());
            for (Object v : values) out.add(scalar(field, kind, v));
            return out;
        }
        return scalar(field, kind, value);
    }

    private static Object scalar(String field, Kind kind, Object v) {
        if (v == null) return null;
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
            throw new DomainException.BadRequest("invalid_args", field + " takes a single value, got " + v);
        }
        String s = String.valueOf(v).strip();
        return switch (kind) {
            case STRING -> String.valueOf(v);
            case BOOL -> {
                if (v instanceof Boolean b) yield b;
                if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) yield Boolean.parseBoolean(s);
                throw new DomainException.BadRequest("invalid_args", field + " takes true or false, got '" + v + "'");
            }
            case NUMBER -> {
                if (v instanceof Number n) yield n.doubleValue();
                double d;
                try {
                    d = Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new DomainException.BadRequest("invalid_args", field + " takes a number, got '" + v + "'");
                }
                if (!Double.isFinite(d)) throw new DomainException.BadRequest("invalid_args", field + " takes a finite number, got '" + v + "'");
                yield d;
            }
        };
    }

    private static Map<String, Kind> fields() {
        Map<String, Kind> f = new LinkedHashMap<>();
        for (String n : List.of("id", "creator_id", "created_at", "count_created", "recent_create_date",
                "recommended_disk_space")) {
            f.put(n, Kind.NUMBER);
        }
        for (String s : List.of("name", "image", "tag", "default_tag", "hash_id", "docker_login_repo")) f.put(s, Kind.STRING);
        for (String b : List.of("jup_direct", "ssh_direct", "use_ssh", "recommended", "private")) f.put(b, Kind.BOOL);
        return java.util.Collections.unmodifiableMap(f);
    }
}
