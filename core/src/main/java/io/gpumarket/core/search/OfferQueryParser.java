package io.gpumarket.core.search;

import io.gpumarket.core.offer.OfferFields.Kind;
import io.gpumarket.core.offer.PriceContext;
import io.gpumarket.core.offer.PriceType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parses the body of {@code POST /bundles/} (docs/vast-compatibility.md §d) from the plain tree Jackson makes of a JSON object.
 * Keys are columns ({@code "num_gpus": {"gte": "1"}}) or control keys; conditions keep the client's order.
 *
 * <p>Control keys: {@code order} ({@code [[col, "asc"|"desc"], …]}, default {@code [["score","desc"]]}; an
 * empty list sorts by id only), {@code limit} (1..10000, default 64), {@code type} (on-demand, ondemand, bid,
 * interruptible, reserved; default on-demand), {@code explain} (boolean), {@code allocated_storage} (GB,
 * default 8: priced into dph_total and also required as {@code disk_space >= GB}; when absent the default
 * filter comes after the client's conditions), {@code target_reliability} ({@code expected_reliability >=}
 * value). A null {@code allocated_storage} or {@code target_reliability} means "not given". Keys the SDK
 * sends whose meaning is not documented ({@code disable_bundling}, {@code extra_ids}, {@code gpu_option},
 * {@code show_incompatible}, {@code sort_option}, {@code template_id}, {@code select_cols}) are accepted and
 * ignored, as are Vast's result-shaping flags {@code georegion} and {@code chunked} that SkyPilot sends (offers are
 * shown as they are; a two-letter {@code geolocation} already matches the country code, which is what
 * {@code georegion} asks for). Anything else must name an offer column ({@link QueryNames}) or the query is refused; a column's
 * condition is an object of operators, and a bare value is taken as {@code eq} (a bare list as {@code in});
 * {@code {"eq": "any"}} is no condition at all (vastai's wildcard).
 */
public final class OfferQueryParser {
    private static final Set<String> IGNORED = Set.of(
            "disable_bundling",
            "extra_ids",
            "gpu_option",
            "show_incompatible",
            "sort_option",
            "template_id",
            "select_cols",
            "georegion",
            "chunked");
    /** A petabyte: more than any host has, small enough that prices stay finite numbers. */
    private static final double MAX_STORAGE_GB = 1_000_000;

    private static final List<OrderKey> DEFAULT_ORDER = List.of(new OrderKey("score", "score", true));

    private OfferQueryParser() {}

    public static OfferQuery parse(Map<String, ?> body) {
        if (body == null) throw new QueryException(null, "search body must be a JSON object of conditions");
        List<Condition> conditions = new ArrayList<>();
        List<OrderKey> order = DEFAULT_ORDER;
        int limit = OfferQuery.DEFAULT_LIMIT;
        PriceType type = PriceType.ON_DEMAND;
        boolean explain = false;
        Double storage = null;
        for (Map.Entry<String, ?> e : body.entrySet()) {
            String key = e.getKey();
            Object value = e.getValue();
            switch (key) {
                case "order" -> order = order(value);
                case "limit" -> limit = limit(value);
                case "type" -> type = type(value);
                case "explain" -> explain = explain(value);
                case "allocated_storage" -> {
                    storage = storage(value);
                    if (storage != null)
                        conditions.add(new Condition(key, "disk_space", Op.GTE, List.of(storage), value));
                }
                case "target_reliability" -> {
                    QueryNames.Target expected =
                            QueryNames.resolve("expected_reliability").orElseThrow();
                    Double target = value == null ? null : (Double) Operands.read(key, expected, value);
                    if (target != null)
                        conditions.add(new Condition(key, expected.field(), Op.GTE, List.of(target), value));
                }
                default -> {
                    if (!IGNORED.contains(key)) conditions.addAll(column(key, value));
                }
            }
        }
        if (storage == null) {
            storage = PriceContext.DEFAULT_ALLOCATED_STORAGE_GB;
            conditions.add(new Condition("allocated_storage", "disk_space", Op.GTE, List.of(storage), storage));
        }
        return new OfferQuery(conditions, order, limit, type, storage, explain);
    }

    private static List<Condition> column(String key, Object value) {
        QueryNames.Target target = QueryNames.resolve(key)
                .orElseThrow(() -> new QueryException(key, "unknown search field '" + key + "'"));
        // The SDK passes some columns as plain keyword arguments; a bare value means eq, a bare list in.
        Map<?, ?> ops = value instanceof Map<?, ?> m
                ? m
                : Collections.singletonMap(value instanceof List<?> ? "in" : "eq", value);
        List<Condition> conditions = new ArrayList<>();
        for (Map.Entry<?, ?> o : ops.entrySet()) {
            String opName = String.valueOf(o.getKey());
            if (isWildcard(opName, o.getValue())) continue;
            Op op = Op.fromWire(opName)
                    .orElseThrow(() -> new QueryException(
                            key,
                            "unknown operator '" + opName + "' for '" + key
                                    + "' (expected eq, neq, gt, gte, lt, lte, in, notin)"));
            List<Object> values = new ArrayList<>();
            if (op.takesList()) {
                // A bare value is a list of one: lenient with clients that did not split a single item.
                List<?> items = o.getValue() instanceof List<?> l ? l : Collections.singletonList(o.getValue());
                for (Object item : items) values.add(Operands.read(key, target, item));
            } else {
                values.add(Operands.read(key, target, o.getValue()));
            }
            conditions.add(new Condition(key, target.field(), op, values, o.getValue()));
        }
        return conditions;
    }

    /**
     * {@code {"eq": "any"}} (also {@code "*"}, {@code "?"}) is vastai's wildcard: no condition on that column. Its query
     * parser drops such terms itself, but its {@code self-test machine} sends {@code "verified": {"eq": "any"}},
     * {@code "rented": {"eq": "any"}} as they are, and Vast's server takes them as "either".
     */
    private static boolean isWildcard(String op, Object value) {
        return "eq".equals(op) && value instanceof String s && WILDCARDS.contains(s.strip());
    }

    private static final Set<String> WILDCARDS = Set.of("any", "*", "?");

    private static QueryNames.Target numberOf(String field) {
        return new QueryNames.Target(field, Kind.NUMBER, 1, false);
    }

    private static List<OrderKey> order(Object value) {
        if (!(value instanceof List<?> items)) {
            throw new QueryException("order", "order must be a list of [column, \"asc\"|\"desc\"] pairs, got " + value);
        }
        List<OrderKey> keys = new ArrayList<>();
        for (Object item : items) {
            if (!(item instanceof List<?> pair)
                    || pair.isEmpty()
                    || pair.size() > 2
                    || !(pair.get(0) instanceof String col)) {
                throw new QueryException("order", "order entry must be [column, \"asc\"|\"desc\"], got " + item);
            }
            boolean descending = false;
            if (pair.size() == 2) {
                String dir = pair.get(1) instanceof String s ? s.toLowerCase(Locale.ROOT) : "";
                if (!dir.equals("asc") && !dir.equals("desc")) {
                    throw new QueryException(
                            "order",
                            "order direction for '" + col + "' must be \"asc\" or \"desc\", got " + pair.get(1));
                }
                descending = dir.equals("desc");
            }
            Optional<QueryNames.Target> target;
            try {
                target = QueryNames.resolve(col);
            } catch (QueryException e) {
                throw new QueryException("order", "cannot sort by '" + col + "': " + e.getMessage());
            }
            if (target.isEmpty()) throw new QueryException("order", "unknown sort column '" + col + "'");
            keys.add(new OrderKey(col, target.get().field(), descending));
        }
        return keys;
    }

    private static int limit(Object value) {
        long n;
        if (value instanceof Number num && num.doubleValue() == Math.rint(num.doubleValue())) {
            n = (long) num.doubleValue();
        } else if (value instanceof String s && s.strip().matches("\\d{1,9}")) {
            n = Long.parseLong(s.strip());
        } else {
            throw new QueryException(
                    "limit", "limit must be a whole number 1.." + OfferQuery.MAX_LIMIT + ", got " + value);
        }
        if (n < 1 || n > OfferQuery.MAX_LIMIT) {
            throw new QueryException("limit", "limit must be 1.." + OfferQuery.MAX_LIMIT + ", got " + value);
        }
        return (int) n;
    }

    private static PriceType type(Object value) {
        Optional<PriceType> type = value instanceof String s ? PriceType.fromWire(s) : Optional.empty();
        return type.orElseThrow(() -> new QueryException(
                "type", "type must be one of on-demand, ondemand, bid, interruptible, reserved; got " + value));
    }

    private static boolean explain(Object value) {
        if (value instanceof Boolean b) return b;
        if ("true".equals(value)) return true;
        if ("false".equals(value)) return false;
        throw new QueryException("explain", "explain must be true or false, got " + value);
    }

    private static Double storage(Object value) {
        if (value == null) return null;
        Double gb = (Double) Operands.read("allocated_storage", numberOf("disk_space"), value);
        if (gb < 0 || gb > MAX_STORAGE_GB) {
            throw new QueryException(
                    "allocated_storage", "allocated_storage must be 0.." + (long) MAX_STORAGE_GB + " GB, got " + value);
        }
        return gb;
    }
}
