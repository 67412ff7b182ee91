package io.gpumarket.core.permission;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * A scoped API key's permission document (docs/vast-compatibility.md §g.3), checked against one route call:
 * <pre>
 * {"api": {"misc": {},                                   ← an empty category grants every route in it
 *          "instance_read": {"api.instance.show": {"constraints": {"id": {"eq": 1227}}}},
 *          "instance_write": {"api.instance.destroy": {"constraints": {"id": {"gte": 1, "lte": 100}}}}}}
 * </pre>
 * A category that lists routes grants only those; a listed route with {@code constraints} is granted only for
 * calls whose parameters satisfy every operator ({@code eq}, {@code lte}, {@code gte}). Everything not granted is
 * refused, and so is anything the checker does not understand (an unknown operator, a malformed entry): a
 * scoped key fails closed. Full-access keys have no document and never come here.
 *
 * @param tree the parsed JSON document (objects as maps)
 */
public record PermissionDocument(Map<String, ?> tree) {
    /** The Vast permission categories (docs/vast-compatibility.md §a.5, §g.3). */
    public static final List<String> CATEGORIES = List.of(
            "instance_read",
            "instance_write",
            "user_read",
            "user_write",
            "billing_read",
            "billing_write",
            "machine_read",
            "machine_write",
            "misc",
            "team_read",
            "team_write");
    /** The constraint operators a document may use. */
    public static final List<String> OPERATORS = List.of("eq", "lte", "gte");

    public PermissionDocument {
        if (tree == null) throw new IllegalArgumentException("a permission document is required");
    }

    /**
     * @param category the route's category ({@code instance_read} …)
     * @param route    the route's name ({@code api.instance.show})
     * @param params   the call's path parameters ({@code id} → "42")
     */
    public Decision check(String category, String route, Map<String, String> params) {
        String lacks = "this key lacks permission " + category + " for " + route;
        if (!(categories().get(category) instanceof Map<?, ?> routes)) {
            return Decision.deny(lacks);
        }
        if (routes.isEmpty()) return Decision.allow();
        Object entry = routes.get(route);
        if (!(entry instanceof Map<?, ?> grant)) return Decision.deny(lacks);
        Object constraints = grant.get("constraints");
        if (constraints == null) return Decision.allow();
        if (!(constraints instanceof Map<?, ?> byParam)) return Decision.deny(lacks + " (malformed constraints)");
        for (Map.Entry<?, ?> c : byParam.entrySet()) {
            String param = String.valueOf(c.getKey());
            String value = params.get(param);
            if (value == null || !(c.getValue() instanceof Map<?, ?> ops) || !satisfies(value, ops)) {
                return Decision.deny(
                        lacks + (value == null ? " (it is limited by " + param + ")" : " on " + param + " " + value));
            }
        }
        return Decision.allow();
    }

    /** The categories object: under {@code "api"}, or the document itself for one written without it. */
    public Map<?, ?> categories() {
        Object api = tree.containsKey("api") ? tree.get("api") : tree;
        return api instanceof Map<?, ?> m ? m : Map.of();
    }

    private static boolean satisfies(String value, Map<?, ?> ops) {
        for (Map.Entry<?, ?> op : ops.entrySet()) {
            int c = compare(value, op.getValue());
            boolean ok = switch (String.valueOf(op.getKey())) {
                case "eq" -> c == 0;
                case "lte" -> c != Integer.MIN_VALUE && c <= 0;
                case "gte" -> c != Integer.MIN_VALUE && c >= 0;
                default -> false;
            };
            if (!ok) return false;
        }
        return true;
    }

    /** value vs bound, numerically when both are numbers, else as text; MIN_VALUE when they cannot be ordered. */
    private static int compare(String value, Object bound) {
        if (bound == null || bound instanceof Map<?, ?> || bound instanceof List<?>) return Integer.MIN_VALUE;
        try {
            return Integer.signum(new BigDecimal(value.strip())
                    .compareTo(new BigDecimal(String.valueOf(bound).strip())));
        } catch (NumberFormatException notNumbers) {
            return value.equals(String.valueOf(bound)) ? 0 : Integer.MIN_VALUE;
        }
    }
}
