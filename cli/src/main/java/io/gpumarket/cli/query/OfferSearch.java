package io.gpumarket.cli.query;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The body of {@code search offers} (docs/vast-compatibility.md §e.3): the defaults {@code verified=true external=false rentable=true}
 * unless {@code -n}, the parsed query, then {@code order}, {@code type}, {@code limit} (only when given) and
 * {@code allocated_storage}, in that key order, as vastai's {@code search__offers} builds it.
 *
 * @param query   the query words (null or empty: none)
 * @param noDefault {@code -n}: start from an empty body
 * @param order   {@code -o 'f1-,f2+'}: {@code -} at either end of a name sorts descending, {@code +} ascending
 * @param type    {@code on-demand}, {@code bid}, {@code reserved} ({@code interruptible} is sent as {@code bid})
 * @param limit   {@code --limit}; null or 0 leaves it out
 * @param storage {@code --storage} GB used for pricing
 */
public record OfferSearch(
        List<String> query, boolean noDefault, String order, String type, Integer limit, double storage) {
    public static final String DEFAULT_ORDER = "score-";
    public static final double DEFAULT_STORAGE = 5.0;

    /** The defaults every offer search and every template's {@code extra_filters} start from unless {@code -n}. */
    public static Map<String, Object> defaults(boolean noDefault) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (noDefault) return body;
        body.put("verified", eq(true));
        body.put("external", eq(false));
        body.put("rentable", eq(true));
        return body;
    }

    public Map<String, Object> body(Consumer<String> warnings) {
        Map<String, Object> body = QueryParser.parse(query, defaults(noDefault), QueryFields.OFFERS, warnings);
        body.put("order", order(order == null ? DEFAULT_ORDER : order));
        body.put("type", "interruptible".equals(type) ? "bid" : type == null ? "on-demand" : type);
        if (limit != null && limit != 0) body.put("limit", limit);
        body.put("allocated_storage", storage);
        return body;
    }

    /** {@code -o} into {@code [[field, "asc"|"desc"], …]}, aliases resolved. */
    static List<List<String>> order(String spec) {
        List<List<String>> order = new ArrayList<>();
        for (String raw : spec.split(",", -1)) {
            String name = raw.strip();
            if (name.isEmpty()) continue;
            String direction = "asc";
            String field = name;
            if (!Py.strip(name, "-").equals(name)) {
                direction = "desc";
                field = Py.strip(name, "-");
            }
            if (!Py.strip(name, "+").equals(name)) {
                direction = "asc";
                field = Py.strip(name, "+");
            }
            field = QueryFields.OFFERS.aliases().getOrDefault(field, field);
            order.add(List.of(field, direction));
        }
        return order;
    }

    private static Map<String, Object> eq(Object value) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("eq", value);
        return c;
    }
}
