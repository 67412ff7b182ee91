package io.gpumarket.core.search;

import io.gpumarket.core.offer.OfferFields;
import io.gpumarket.core.offer.OfferFields.Field;
import io.gpumarket.core.offer.OfferFields.Kind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Random valid search bodies, in the shapes clients send them: values drawn from real offers (so equality
 * hits), as JSON numbers, numeric text, booleans in every accepted spelling, text in any case with {@code _}
 * for spaces, nulls, lists; keys drawn over every searchable field, the aliases and the virtual columns.
 */
final class RandomQueries {
    private static final List<String> ALIASES = List.of(
            "reliability2",
            "dphtotal",
            "gpu_totalram",
            "gpu_totalram_GB",
            "cpu_ram_GB",
            "gpu_ram_GB",
            "ubuntu_version",
            "driver_version",
            "cuda_vers",
            "display_active",
            "dlperf_usd",
            "dph",
            "flops_usd",
            "verified",
            "datacenter");
    private static final List<String> FIELDS = OfferFields.all().stream()
            .filter(Field::filterable)
            .map(Field::name)
            .filter(n -> !n.equals("driver_version"))
            .toList();
    private static final String[] OPS = {"eq", "neq", "gt", "gte", "lt", "lte", "in", "notin"};
    private static final String[] TYPES = {"on-demand", "ondemand", "bid", "interruptible", "reserved", "Bid"};

    private final Random r;

    RandomQueries(long seed) {
        this.r = new Random(seed);
    }

    /**
     * A body; {@code offersAt} renders the market's offers at a (type, allocated storage) so that values can be
     * drawn from what the search will see.
     */
    Map<String, Object> next(Function<Map<String, Object>, List<Map<String, Object>>> offersAt) {
        List<Map.Entry<String, Object>> entries = new ArrayList<>();
        Map<String, Object> pricing = new LinkedHashMap<>();
        if (r.nextInt(3) > 0) pricing.put("type", TYPES[r.nextInt(TYPES.length)]);
        if (r.nextBoolean()) {
            double gb = Math.round(r.nextDouble() * 600) / 10.0;
            pricing.put(
                    "allocated_storage",
                    switch (r.nextInt(3)) {
                        case 0 -> gb;
                        case 1 -> (int) gb;
                        default -> Double.toString(gb);
                    });
        }
        entries.addAll(pricing.entrySet());
        List<Map<String, Object>> offers = offersAt.apply(pricing);
        int conditions = r.nextInt(6);
        for (int i = 0; i < conditions; i++) {
            String key =
                    r.nextInt(4) == 0 ? ALIASES.get(r.nextInt(ALIASES.size())) : FIELDS.get(r.nextInt(FIELDS.size()));
            Map<String, Object> ops = new LinkedHashMap<>();
            int n = 1 + (r.nextInt(4) == 0 ? 1 : 0);
            for (int k = 0; k < n; k++) {
                String op = OPS[r.nextInt(OPS.length)];
                ops.put(op, op.equals("in") || op.equals("notin") ? list(key, offers) : value(key, sample(offers)));
            }
            entries.add(Map.entry(key, ops));
        }
        if (r.nextInt(4) == 0)
            entries.add(Map.entry("target_reliability", r.nextBoolean() ? 0.9 + r.nextInt(100) / 1000.0 : "0.95"));
        if (r.nextInt(2) == 0) entries.add(Map.entry("order", order()));
        if (r.nextInt(2) == 0)
            entries.add(Map.entry("limit", r.nextInt(5) == 0 ? "7" : r.nextInt(8) == 0 ? 10_000 : 1 + r.nextInt(40)));
        if (r.nextInt(4) == 0) entries.add(Map.entry("explain", true));
        if (r.nextInt(8) == 0) entries.add(Map.entry("disable_bundling", true));
        if (r.nextInt(8) == 0) entries.add(Map.entry("select_cols", List.of("*")));
        Collections.shuffle(entries, r);
        Map<String, Object> body = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : entries) body.put(e.getKey(), e.getValue());
        return body;
    }

    /** Sort orders the index answers without a full scan: by a price-driven key, or by num_gpus and then one. */
    private static final List<List<List<String>>> RANKED_ORDERS = List.of(
            List.of(List.of("score", "desc")),
            List.of(List.of("score", "asc")),
            List.of(List.of("dph_total", "asc")),
            List.of(List.of("dph_total", "desc")),
            List.of(List.of("dphtotal", "asc"), List.of("reliability", "desc")),
            List.of(List.of("dph_base", "asc")),
            List.of(List.of("dph_base", "desc")),
            List.of(List.of("dlperf_per_dphtotal", "desc")),
            List.of(List.of("dlperf_usd", "asc")),
            List.of(List.of("flops_per_dphtotal", "desc")),
            List.of(List.of("flops_usd", "asc")),
            List.of(List.of("num_gpus", "desc"), List.of("dlperf_per_dphtotal", "desc")),
            List.of(List.of("num_gpus", "asc"), List.of("dph_total", "asc")),
            List.of(List.of("num_gpus", "desc"), List.of("score", "asc")),
            List.of(List.of("num_gpus", "desc")),
            List.of(List.of("num_gpus", "asc"), List.of("reliability", "desc")),
            List.of(List.of("reliability", "desc")),
            List.of(List.of("gpu_ram", "desc"), List.of("dph_total", "asc")));
    /** Columns that tend to hold one value per GPU model or per price, so that bounds decide them. */
    private static final List<String> RANKED_FIELDS = List.of(
            "gpu_ram",
            "gpu_ram_GB",
            "gpu_name",
            "num_gpus",
            "compute_cap",
            "verified",
            "reliability",
            "dph_total",
            "dph_base",
            "geolocation",
            "cuda_max_good",
            "inet_down",
            "rentable",
            "disk_space",
            "dlperf",
            "total_flops",
            "score",
            "duration",
            "storage_total_cost",
            "gpu_total_ram",
            "min_bid");

    /**
     * A body shaped to take the index's shortcuts: a small page in an order it walks by price (or num_gpus
     * first), with conditions on columns whose bounds decide whole partitions and groups.
     */
    Map<String, Object> nextRanked(Function<Map<String, Object>, List<Map<String, Object>>> offersAt) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (r.nextInt(3) > 0) body.put("type", TYPES[r.nextInt(TYPES.length)]);
        if (r.nextInt(3) == 0) body.put("allocated_storage", Math.round(r.nextDouble() * 400) / 10.0);
        Map<String, Object> pricing = new LinkedHashMap<>(body);
        List<Map<String, Object>> offers = offersAt.apply(pricing);
        int conditions = r.nextInt(4);
        for (int i = 0; i < conditions; i++) {
            String key = RANKED_FIELDS.get(r.nextInt(RANKED_FIELDS.size()));
            String op = r.nextInt(3) == 0 ? OPS[r.nextInt(OPS.length)] : r.nextBoolean() ? "gte" : "lt";
            if (key.equals("gpu_name") || key.equals("geolocation")) op = r.nextBoolean() ? "eq" : "in";
            Map<String, Object> ops = new LinkedHashMap<>();
            ops.put(op, op.equals("in") || op.equals("notin") ? list(key, offers) : value(key, sample(offers)));
            body.put(key, ops);
        }
        body.put("order", RANKED_ORDERS.get(r.nextInt(RANKED_ORDERS.size())));
        body.put("limit", r.nextInt(6) == 0 ? 100 + r.nextInt(200) : 1 + r.nextInt(25));
        if (r.nextInt(6) == 0) body.put("explain", true);
        return body;
    }

    private List<Object> order() {
        List<Object> keys = new ArrayList<>();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            String col =
                    r.nextInt(4) == 0 ? ALIASES.get(r.nextInt(ALIASES.size())) : FIELDS.get(r.nextInt(FIELDS.size()));
            keys.add(
                    r.nextInt(6) == 0
                            ? List.of(col)
                            : List.of(col, r.nextBoolean() ? "asc" : r.nextBoolean() ? "desc" : "DESC"));
        }
        return keys;
    }

    private Map<String, Object> sample(List<Map<String, Object>> offers) {
        return offers.isEmpty() ? Map.of() : offers.get(r.nextInt(offers.size()));
    }

    private Object list(String key, List<Map<String, Object>> offers) {
        if (r.nextInt(8) == 0) return value(key, sample(offers)); // a bare value: a list of one
        List<Object> items = new ArrayList<>();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) items.add(value(key, sample(offers)));
        return items;
    }

    /** A value for key, usually one the sampled offer has, in one of the ways clients write it. */
    private Object value(String key, Map<String, Object> offer) {
        if (r.nextInt(15) == 0) return null;
        switch (key) {
            case "verified" -> {
                return bool(offer.get("vericode") instanceof Number n ? n.intValue() == 1 : r.nextBoolean());
            }
            case "datacenter" -> {
                return bool(offer.get("hosting_type") instanceof Number n ? n.intValue() == 1 : r.nextBoolean());
            }
            case "driver_version" -> {
                Object text = offer.get("driver_version");
                if (offer.get("driver_vers") != null && r.nextBoolean()) return text;
                long vers = offer.get("driver_vers") instanceof Number n
                        ? n.longValue()
                        : 500_000_000L + r.nextInt(99_999_999);
                return r.nextBoolean() ? vers : Long.toString(vers);
            }
            case "gpu_totalram_GB", "cpu_ram_GB", "gpu_ram_GB" -> {
                String column = switch (key) {
                    case "gpu_totalram_GB" -> "gpu_total_ram";
                    case "cpu_ram_GB" -> "cpu_ram";
                    default -> "gpu_ram";
                };
                return number(offer.get(column), 1000);
            }
            default -> {}
        }
        String column = Map.of(
                        "reliability2",
                        "reliability",
                        "dphtotal",
                        "dph_total",
                        "gpu_totalram",
                        "gpu_total_ram",
                        "ubuntu_version",
                        "os_version",
                        "cuda_vers",
                        "cuda_max_good",
                        "display_active",
                        "gpu_display_active",
                        "dlperf_usd",
                        "dlperf_per_dphtotal",
                        "dph",
                        "dph_total",
                        "flops_usd",
                        "flops_per_dphtotal")
                .getOrDefault(key, key);
        Kind kind = OfferFields.field(column).orElseThrow().kind();
        Object cell = offer.get(column);
        return switch (kind) {
            case BOOL -> bool(cell instanceof Boolean b ? b : r.nextBoolean());
            case STRING -> text(column, cell);
            default -> number(cell, 1);
        };
    }

    private Object bool(boolean b) {
        return switch (r.nextInt(5)) {
            case 0, 1 -> b;
            case 2 -> b ? "true" : "False";
            case 3 -> b ? 1 : 0;
            default -> b ? "1" : "0";
        };
    }

    private Object number(Object cell, double unit) {
        double x = cell instanceof Number n ? n.doubleValue() / unit : r.nextInt(100);
        if (r.nextInt(4) == 0) x = x * (0.5 + r.nextDouble()); // near, not on, a real value
        if (r.nextInt(12) == 0) x = -x;
        boolean integral = x == Math.rint(x) && Math.abs(x) < 1e15;
        return switch (r.nextInt(5)) {
            case 0 -> integral ? (Object) (long) x : x;
            case 1 -> integral ? Long.toString((long) x) : Double.toString(x);
            case 2 -> new BigDecimal(Double.toString(x));
            case 3 -> integral ? (Object) (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, x)) : x;
            default -> x;
        };
    }

    private Object text(String column, Object cell) {
        String s = cell instanceof String t ? t : r.nextBoolean() ? "nowhere" : "22.04";
        if (column.equals("geolocation") && r.nextBoolean()) s = s.substring(s.length() - 2);
        if (r.nextInt(5) == 0) s = "Zz" + s;
        return switch (r.nextInt(4)) {
            case 0 -> s.toUpperCase(Locale.ROOT);
            case 1 -> s.replace(' ', '_');
            case 2 -> s.toLowerCase(Locale.ROOT);
            default -> s;
        };
    }
}
