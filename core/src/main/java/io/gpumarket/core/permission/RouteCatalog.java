package io.gpumarket.core.permission;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The routes a permission document may name: for each category, the route names in it and the path parameters
 * each may be constrained by. The server builds it from its route table, so a document is checked against the
 * routes that exist instead of a list kept by hand.
 *
 * @param byCategory category → route name → path parameter names
 */
public record RouteCatalog(Map<String, Map<String, Set<String>>> byCategory) {
    public RouteCatalog {
        Map<String, Map<String, Set<String>>> copy = new TreeMap<>();
        byCategory.forEach((c, routes) -> {
            Map<String, Set<String>> r = new TreeMap<>();
            routes.forEach((name, params) -> r.put(name, Set.copyOf(new TreeSet<>(params))));
            copy.put(c, java.util.Collections.unmodifiableMap(r));
        });
        byCategory = java.util.Collections.unmodifiableMap(copy);
    }

    /** The route names of a category, sorted; empty for a category without routes. */
    public Set<String> routes(String category) {
        return new TreeSet<>(byCategory.getOrDefault(category, Map.of()).keySet());
    }

    /** The path parameters of a route of the category; null when the category has no such route. */
    public Set<String> params(String category, String route) {
        return byCategory.getOrDefault(category, Map.of()).get(route);
    }
}
