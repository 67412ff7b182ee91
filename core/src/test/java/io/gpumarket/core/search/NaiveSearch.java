package io.gpumarket.core.search;

import io.gpumarket.core.offer.OfferFields;
import io.gpumarket.core.offer.OfferView;
import io.gpumarket.core.offer.PriceContext;
import io.gpumarket.core.offer.PriceType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The reference the index is checked against: renders every offer as its JSON object and reads the raw query
 * body with its own, deliberately plain code (no parser, no columns): one predicate per (key, operator) over
 * the maps, a list sort, a sublist. Handles the valid bodies {@link RandomQueries} makes.
 */
final class NaiveSearch {
    /** The ids of the page, and for each condition (in body order) its funnel and stand-alone failure counts. */
    record Outcome(List<Long> ids, int considered, int matched, List<int[]> counts) {}

    private record Cond(Predicate<Map<String, Object>> test) {}

    private NaiveSearch() {}

    static Outcome run(Markets.Market market, Map<String, Object> body, long now, Set<Long> rented) {
        PriceType type = PriceType.ON_DEMAND;
        double storage = 8.0;
        boolean storageGiven = false;
        int limit = 64;
        List<Object> order = List.of(List.of("score", "desc"));
        List<Cond> conds = new ArrayList<>();
        for (Map.Entry<String, Object> e : body.entrySet()) {
            String key = e.getKey();
            Object v = e.getValue();
            switch (key) {
                case "type" ->
                    type = switch (((String) v).toLowerCase(Locale.ROOT)) {
                        case "bid", "interruptible" -> PriceType.BID;
                        case "reserved" -> PriceType.RESERVED;
                        default -> PriceType.ON_DEMAND;
                    };
                case "limit" -> limit = v instanceof String s ? Integer.parseInt(s) : ((Number) v).intValue();
                case "order" -> order = castList(v);
                case "explain",
                        "disable_bundling",
                        "extra_ids",
                        "gpu_option",
                        "show_incompatible",
                        "sort_option",
                        "template_id",
                        "select_cols" -> {}
                case "allocated_storage" -> {
                    storage = toDouble(v);
                    storageGiven = true;
                    double gb = storage;
                    conds.add(new Cond(m -> ((Number) m.get("disk_space")).doubleValue() >= gb));
                }
                case "target_reliability" -> {
                    double t = toDouble(v);
                    conds.add(new Cond(m -> ((Number) m.get("expected_reliability")).doubleValue() >= t));
                }
                default -> {
                    Column col = Column.of(key);
                    for (Map.Entry<?, ?> op : ((Map<?, ?>) v).entrySet()) {
                        conds.add(new Cond(condition(col, (String) op.getKey(), op.getValue())));
                    }
                }
            }
        }
        if (!storageGiven) conds.add(new Cond(m -> ((Number) m.get("disk_space")).doubleValue() >= 8.0));

        PriceContext ctx = new PriceContext(type, storage, now, rented);
        List<Map<String, Object>> offers = new ArrayList<>();
        for (OfferView o : market.offers()) offers.add(OfferFields.render(o, ctx));

        List<int[]> counts = new ArrayList<>();
        List<Map<String, Object>> alive = offers;
        for (Cond c : conds) {
            List<Map<String, Object>> next = alive.stream().filter(c.test()).toList();
            int failing = (int) offers.stream().filter(c.test().negate()).count();
            counts.add(new int[] {alive.size() - next.size(), failing});
            alive = next;
        }
        List<Map<String, Object>> sorted = new ArrayList<>(alive);
        sorted.sort(comparator(order));
        List<Long> ids = sorted.stream()
                .limit(limit)
                .map(m -> ((Number) m.get("id")).longValue())
                .toList();
        return new Outcome(ids, offers.size(), alive.size(), counts);
    }

    /** Which map entry a key reads, and how its values are read. */
    private record Column(String mapKey, OfferFields.Kind kind, double multiplier, boolean driver) {
        static Column of(String key) {
            return switch (key) {
                case "verified" -> new Column("vericode", OfferFields.Kind.BOOL, 1, false);
                case "datacenter" -> new Column("hosting_type", OfferFields.Kind.BOOL, 1, false);
                case "gpu_totalram_GB" -> new Column("gpu_total_ram", OfferFields.Kind.NUMBER, 1000, false);
                case "cpu_ram_GB" -> new Column("cpu_ram", OfferFields.Kind.NUMBER, 1000, false);
                case "gpu_ram_GB" -> new Column("gpu_ram", OfferFields.Kind.NUMBER, 1000, false);
                case "driver_version" -> new Column("driver_vers", OfferFields.Kind.NUMBER, 1, true);
                default -> {
                    String name = Map.of(
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
                    yield new Column(name, OfferFields.field(name).orElseThrow().kind(), 1, false);
                }
            };
        }
    }

    private static Predicate<Map<String, Object>> condition(Column col, String op, Object raw) {
        boolean list = op.equals("in") || op.equals("notin");
        List<Object> values = new ArrayList<>();
        if (list) {
            for (Object item : raw instanceof List<?> l ? l : Collections.singletonList(raw))
                values.add(operand(col, item));
        } else {
            values.add(operand(col, raw));
        }
        boolean geo = col.mapKey().equals("geolocation");
        return m -> {
            Object cell = cell(m.get(col.mapKey()));
            Object v = values.isEmpty() ? null : values.get(0);
            if (cell == null) {
                return switch (op) {
                    case "eq" -> v == null;
                    case "in" -> values.contains(null);
                    default -> false;
                };
            }
            return switch (op) {
                case "eq" -> v != null && cmp(cell, v, geo) == 0;
                case "neq" -> v == null || cmp(cell, v, geo) != 0;
                case "gt" -> v != null && cmp(cell, v, geo) > 0;
                case "gte" -> v != null && cmp(cell, v, geo) >= 0;
                case "lt" -> v != null && cmp(cell, v, geo) < 0;
                case "lte" -> v != null && cmp(cell, v, geo) <= 0;
                case "in" -> values.stream().anyMatch(x -> x != null && cmp(cell, x, geo) == 0);
                case "notin" -> values.stream().noneMatch(x -> x != null && cmp(cell, x, geo) == 0);
                default -> throw new IllegalArgumentException(op);
            };
        };
    }

    private static int cmp(Object cell, Object value, boolean geo) {
        if (cell instanceof Double d) return Double.compare(d, (Double) value);
        String c = (String) cell;
        String v = (String) value;
        if (geo && v.length() == 2) c = c.substring(c.length() - 2);
        return c.compareTo(v);
    }

    /** A map value in comparable form: numbers and booleans as Double, text normalized. */
    private static Object cell(Object v) {
        if (v == null) return null;
        if (v instanceof Boolean b) return b ? 1.0 : 0.0;
        if (v instanceof Number n) return n.doubleValue() + 0.0;
        return norm((String) v);
    }

    private static Object operand(Column col, Object v) {
        if (v == null) return null;
        switch (col.kind()) {
            case STRING -> {
                return norm(
                        v instanceof Number n
                                ? new java.math.BigDecimal(n.toString())
                                        .stripTrailingZeros()
                                        .toPlainString()
                                : (String) v);
            }
            case BOOL -> {
                if (v instanceof Boolean b) return b ? 1.0 : 0.0;
                String s = v.toString().toLowerCase(Locale.ROOT);
                return s.equals("true") || s.equals("1") || s.equals("1.0") ? 1.0 : 0.0;
            }
            default -> {
                if (col.driver() && v instanceof String s && s.contains(".")) {
                    String[] p = s.split("\\.");
                    return (double)
                            (Long.parseLong(p[0]) * 1_000_000 + Long.parseLong(p[1]) * 1000 + Long.parseLong(p[2]));
                }
                if (v instanceof Boolean b) return b ? 1.0 : 0.0;
                return toDouble(v) * col.multiplier() + 0.0;
            }
        }
    }

    private static double toDouble(Object v) {
        return v instanceof Number n ? n.doubleValue() : Double.parseDouble(((String) v).strip());
    }

    private static String norm(String s) {
        return s.replace('_', ' ').toLowerCase(Locale.ROOT);
    }

    private static Comparator<Map<String, Object>> comparator(List<Object> order) {
        Comparator<Map<String, Object>> c = (a, b) -> 0;
        for (Object item : order) {
            List<Object> pair = castList(item);
            Column col = Column.of((String) pair.get(0));
            boolean desc = pair.size() > 1 && ((String) pair.get(1)).equalsIgnoreCase("desc");
            c = c.thenComparing((a, b) -> {
                Object x = cell(a.get(col.mapKey()));
                Object y = cell(b.get(col.mapKey()));
                if (x == null || y == null) return x == y ? 0 : x == null ? 1 : -1;
                int r = x instanceof Double d ? Double.compare(d, (Double) y) : ((String) x).compareTo((String) y);
                return desc ? -r : r;
            });
        }
        return c.thenComparingLong(m -> ((Number) m.get("id")).longValue());
    }

    @SuppressWarnings("unchecked")
    private static List<Object> castList(Object v) {
        return (List<Object>) v;
    }
}
