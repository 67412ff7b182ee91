package io.gpumarket.server.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The console's offer search form, read from its query parameters and turned into the search DSL the API takes
 * (so the page searches the same live index, with the same rules, as {@code POST /api/v0/bundles/}).
 */
public record OfferSearch(
        String gpuName,
        String numGpus,
        String priceMin,
        String priceMax,
        String reliabilityMin,
        String location,
        boolean verified,
        boolean directPorts,
        boolean interruptible,
        String sort,
        String dir) {
    /** The columns the results can be sorted by, as the table shows them. */
    public static final Set<String> SORTABLE = Set.of(
            "dph_total", "num_gpus", "gpu_name", "reliability2", "direct_port_count", "gpu_ram", "disk_space", "id");

    public static final int LIMIT = 100;

    public static OfferSearch from(Function<String, String> param) {
        String sort = blankToNull(param.apply("sort"));
        String dir = "desc".equals(param.apply("dir")) ? "desc" : "asc";
        return new OfferSearch(
                v(param, "gpu_name"),
                v(param, "num_gpus"),
                v(param, "price_min"),
                v(param, "price_max"),
                v(param, "reliability_min"),
                v(param, "location"),
                param.apply("verified") != null,
                param.apply("direct_ports") != null,
                "interruptible".equals(param.apply("type")),
                sort != null && SORTABLE.contains(sort) ? sort : "dph_total",
                dir);
    }

    /** The DSL body: every filled field a condition, in form order, the sort, and whether to explain. */
    public Map<String, Object> dsl(boolean explain) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("rentable", Map.of("eq", true));
        if (!gpuName.isEmpty()) q.put("gpu_name", Map.of("eq", gpuName));
        if (!numGpus.isEmpty()) q.put("num_gpus", Map.of("gte", numGpus));
        Map<String, Object> price = new LinkedHashMap<>();
        if (!priceMin.isEmpty()) price.put("gte", priceMin);
        if (!priceMax.isEmpty()) price.put("lte", priceMax);
        if (!price.isEmpty()) q.put("dph_total", price);
        if (!reliabilityMin.isEmpty()) q.put("reliability2", Map.of("gte", reliabilityMin));
        if (!location.isEmpty()) q.put("geolocation", Map.of("eq", location));
        if (verified) q.put("verified", Map.of("eq", true));
        if (directPorts) q.put("direct_port_count", Map.of("gte", 1));
        q.put("type", interruptible ? "bid" : "on-demand");
        List<List<String>> order = new ArrayList<>();
        order.add(List.of(sort, dir));
        q.put("order", order);
        q.put("limit", LIMIT);
        if (explain) q.put("explain", true);
        return q;
    }

    /** The query string of this search sorted by {@code column} (flipping the direction when it already is). */
    public String sortLink(String column) {
        String nextDir = column.equals(sort) && dir.equals("asc") ? "desc" : "asc";
        StringBuilder b =
                new StringBuilder("?sort=").append(column).append("&dir=").append(nextDir);
        add(b, "gpu_name", gpuName);
        add(b, "num_gpus", numGpus);
        add(b, "price_min", priceMin);
        add(b, "price_max", priceMax);
        add(b, "reliability_min", reliabilityMin);
        add(b, "location", location);
        if (verified) b.append("&verified=on");
        if (directPorts) b.append("&direct_ports=on");
        if (interruptible) b.append("&type=interruptible");
        return b.toString();
    }

    /** The aria-sort value of a column header: ascending, descending or none. */
    public String ariaSort(String column) {
        if (!column.equals(sort)) return "none";
        return dir.equals("asc") ? "ascending" : "descending";
    }

    private static void add(StringBuilder b, String key, String value) {
        if (!value.isEmpty())
            b.append('&')
                    .append(key)
                    .append('=')
                    .append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String v(Function<String, String> param, String key) {
        String s = param.apply(key);
        return s == null ? "" : s.strip();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
