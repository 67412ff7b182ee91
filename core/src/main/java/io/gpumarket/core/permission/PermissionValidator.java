package io.gpumarket.core.permission;

import io.gpumarket.core.error.DomainException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Checks the permission document of a key being created (docs/vast-compatibility.md §g.3) and answers it in one normal form,
 * {@code {"api": {category: {route: {"constraints": {param: {op: value}}}}}}}. The checker that reads documents
 * at request time fails closed on anything it does not understand, so a typo there would silently grant nothing;
 * this is where the typo is caught instead, with a message naming it: an unknown category, a route that is not in
 * its category, a parameter the route does not have, an operator other than eq / lte / gte, or a bound that is not
 * a number or a string. Refusals are {@code invalid_permissions} (and {@code missing_permissions} for no document).
 */
public final class PermissionValidator {
    private PermissionValidator() {}

    public static Map<String, Object> validate(Object permissions, RouteCatalog routes) {
        if (permissions == null) {
            throw new DomainException.BadRequest(
                    "missing_permissions",
                    "'permissions' is required, e.g. "
                            + "{\"api\": {\"instance_read\": {}, \"misc\": {}}} (an empty category grants all of its routes)");
        }
        if (!(permissions instanceof Map<?, ?> doc))
            throw bad("the permission document must be a JSON object, got " + permissions);
        Object api = doc;
        if (doc.containsKey("api")) {
            if (doc.size() > 1)
                throw bad("a permission document has one top-level key, \"api\"; also got " + others(doc));
            api = doc.get("api");
        }
        if (!(api instanceof Map<?, ?> categories)) throw bad("\"api\" must be an object of categories, got " + api);
        if (categories.isEmpty())
            throw bad("the document grants nothing: name at least one category, e.g. {\"api\": {\"misc\": {}}}");
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> c : categories.entrySet()) {
            String category = String.valueOf(c.getKey());
            if (!PermissionDocument.CATEGORIES.contains(category)) {
                throw bad("unknown permission category '" + category + "'; the categories are "
                        + String.join(", ", PermissionDocument.CATEGORIES));
            }
            if (!(c.getValue() instanceof Map<?, ?> entries)) {
                throw bad(category + " must be an object: {} for the whole category, or route names, got "
                        + c.getValue());
            }
            Map<String, Object> granted = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : entries.entrySet()) {
                String route = String.valueOf(e.getKey());
                granted.put(route, entry(category, route, e.getValue(), routes));
            }
            out.put(category, granted);
        }
        return Map.of("api", out);
    }

    private static Map<String, Object> entry(String category, String route, Object value, RouteCatalog routes) {
        Set<String> params = routes.params(category, route);
        if (params == null) {
            throw bad("'" + route + "' is not a route of " + category + "; its routes are "
                    + String.join(", ", routes.routes(category)));
        }
        if (value == null) return Map.of();
        if (!(value instanceof Map<?, ?> grant))
            throw bad(route + " must be an object ({} or {\"constraints\": …}), got " + value);
        for (Object k : grant.keySet()) {
            if (!"constraints".equals(k))
                throw bad(route + ": unknown key '" + k + "'; only \"constraints\" is understood");
        }
        Object constraints = grant.get("constraints");
        if (constraints == null) return Map.of();
        if (!(constraints instanceof Map<?, ?> byParam) || byParam.isEmpty()) {
            throw bad(route + ": constraints must be an object such as {\"id\": {\"eq\": 1227}}, got " + constraints);
        }
        Map<String, Object> checked = new LinkedHashMap<>();
        for (Map.Entry<?, ?> p : byParam.entrySet()) {
            String param = String.valueOf(p.getKey());
            if (!params.contains(param)) {
                throw bad(route + " has no parameter '" + param + "' to constrain"
                        + (params.isEmpty() ? " (it has none)" : "; it has " + String.join(", ", params)));
            }
            if (!(p.getValue() instanceof Map<?, ?> ops) || ops.isEmpty()) {
                throw bad(route + ": the constraint on " + param
                        + " must be an object of operators such as {\"eq\": 1227}");
            }
            Map<String, Object> checkedOps = new LinkedHashMap<>();
            for (Map.Entry<?, ?> op : ops.entrySet()) {
                String name = String.valueOf(op.getKey());
                if (!PermissionDocument.OPERATORS.contains(name)) {
                    throw bad(route + ": unknown operator '" + name + "' on " + param + "; use eq, lte or gte");
                }
                Object bound = op.getValue();
                if (!(bound instanceof Number) && !(bound instanceof String)) {
                    throw bad(route + ": the bound of " + name + " on " + param + " must be a number or a string, got "
                            + bound);
                }
                checkedOps.put(name, bound);
            }
            checked.put(param, checkedOps);
        }
        return Map.of("constraints", checked);
    }

    private static String others(Map<?, ?> doc) {
        return String.join(
                ", ",
                doc.keySet().stream()
                        .filter(k -> !"api".equals(k))
                        .map(String::valueOf)
                        .toList());
    }

    private static DomainException bad(String msg) {
        return new DomainException.BadRequest("invalid_permissions", msg);
    }
}
