package io.gpumarket.cli.query;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The vastai query string grammar (docs/vast-compatibility.md §e.1-e.2): {@code field op value …} into {@code {field: {op: value}}},
 * merged into a body that may already hold defaults. A faithful port of vastai's {@code parse_query}, quirks
 * included, so a query sends the JSON vastai sends: numbers stay strings, {@code _} becomes a space in every
 * string, GB and days are multiplied into floats, {@code any}/{@code *}/{@code ?} remove a field (a default
 * too), and key order follows Python's dict order. Pure: the result is a fresh map, warnings go to a callback.
 */
public final class QueryParser {
    private static final Pattern COMPARISON = Pattern.compile(
            "([a-zA-Z0-9_]+)( *[=><!]+| +(?:[lg]te?|nin|neq|eq|not ?eq|not ?in|in) )?( *)(\\[[^\\]]+\\]|\"[^\"]+\"|[^ ]+)?( *)");
    private static final Map<String, String> OPERATORS = Map.ofEntries(
            Map.entry(">=", "gte"),
            Map.entry(">", "gt"),
            Map.entry("gt", "gt"),
            Map.entry("gte", "gte"),
            Map.entry("<=", "lte"),
            Map.entry("<", "lt"),
            Map.entry("lt", "lt"),
            Map.entry("lte", "lte"),
            Map.entry("!=", "neq"),
            Map.entry("==", "eq"),
            Map.entry("=", "eq"),
            Map.entry("eq", "eq"),
            Map.entry("neq", "neq"),
            Map.entry("noteq", "neq"),
            Map.entry("not eq", "neq"),
            Map.entry("notin", "notin"),
            Map.entry("not in", "notin"),
            Map.entry("nin", "notin"),
            Map.entry("in", "in"));
    private static final Set<String> WILDCARDS = Set.of("?", "*", "any");

    private QueryParser() {}

    /**
     * @param words    the query as given on the command line; joined with single spaces, then stripped
     * @param defaults the body so far (copied, never changed)
     * @param warnings "Warning: Unrecognized field …" and bad driver versions, as vastai prints them
     * @throws QueryException with vastai's message for text it cannot consume, an unknown operator, a blank
     *                        value, a wildcard without {@code =}, or a multiplied value that is not a number
     */
    public static Map<String, Object> parse(
            List<String> words, Map<String, Object> defaults, QueryFields fields, Consumer<String> warnings) {
        Map<String, Object> res = copy(defaults);
        if (words == null) return res;
        String query = String.join(" ", words).strip();

        List<String[]> comparisons = new ArrayList<>();
        List<int[]> starts = new ArrayList<>();
        StringBuilder joined = new StringBuilder();
        int consumed = 0;
        int gap = -1;
        Matcher m = COMPARISON.matcher(query);
        while (m.find()) {
            if (gap < 0 && m.start() != consumed) gap = consumed;
            consumed = m.end();
            String[] groups = new String[5];
            int[] at = new int[5];
            for (int g = 0; g < 5; g++) {
                groups[g] = m.group(g + 1) == null ? "" : m.group(g + 1);
                at[g] = m.group(g + 1) == null ? -1 : m.start(g + 1);
                joined.append(groups[g]);
            }
            comparisons.add(groups);
            starts.add(at);
        }
        if (gap < 0 && consumed != query.length()) gap = consumed;
        if (!joined.toString().equals(query)) {
            throw new QueryException(
                    "Unconsumed text. Did you forget to quote your query? " + Py.repr(joined.toString()) + " != "
                            + Py.repr(query) + where(gap, query.substring(Math.max(0, gap))));
        }

        for (int i = 0; i < comparisons.size(); i++) {
            String[] c = comparisons.get(i);
            int[] at = starts.get(i);
            String comparison = (c[0] + c[1] + c[2] + c[3]).strip();
            String field = c[0];
            String op = c[1].strip();
            Object value = Py.strip(c[3], ",[]");
            String opName = OPERATORS.get(op);

            String canonical = fields.aliases().get(field);
            if (canonical != null) {
                if (res.containsKey(field)) res.put(canonical, res.remove(field));
                field = canonical;
            }
            Map<String, Object> condition = conditionOf(res, field);

            if (field.equals("driver_version") && ((String) value).contains(".")) {
                value = numericVersion((String) value, warnings);
            }
            if (!fields.known().contains(field)) {
                warnings.accept("Warning: Unrecognized field: " + field + ", see list of recognized fields.");
            }
            if (opName == null) {
                int opAt = at[1] >= 0
                        ? at[1] + (c[1].length() - c[1].stripLeading().length())
                        : at[0] + c[0].length();
                throw new QueryException("Unknown operator. Did you forget to quote your query? "
                        + Py.strip(Py.repr(op), "u") + where(opAt, comparison));
            }
            if (opName.equals("in") || opName.equals("notin")) {
                if (!(value instanceof String s)) {
                    throw new QueryException(field + " " + op + " needs a list like [a,b], got " + Py.repr(value));
                }
                List<String> items = new ArrayList<>();
                for (String item : s.split(",", -1)) if (!item.strip().isEmpty()) items.add(item.strip());
                value = items;
            }
            if (blank(value)) {
                int valueAt = at[3] >= 0 ? at[3] : at[2] + c[2].length();
                throw new QueryException("Value cannot be blank. Did you forget to quote your query? "
                        + Py.tuple(field, op, value) + where(valueAt, comparison));
            }
            if (value instanceof String s && WILDCARDS.contains(s)) {
                if (!opName.equals("eq")) throw new QueryException("Wildcard only makes sense with equals.");
                condition.remove(field);
                res.remove(field);
                continue;
            }

            if (value instanceof String s) {
                value = Py.strip(s.replace('_', ' '), "\"");
            } else if (value instanceof List<?> list) {
                List<String> items = new ArrayList<>();
                for (Object item : list) items.add(Py.strip(((String) item).replace('_', ' '), "\""));
                value = items;
            }

            Double multiplier = fields.multipliers().get(field);
            if (multiplier != null) {
                double number = switch (value) {
                    case String s -> Py.parseFloat(s);
                    case Number n -> n.doubleValue();
                    default -> throw new QueryException(field + " takes one number, not a list: " + Py.repr(value));
                };
                condition.put(opName, number * multiplier);
            } else if ("true".equals(value) || "True".equals(value)) {
                condition.put(opName, Boolean.TRUE);
            } else if ("false".equals(value) || "False".equals(value)) {
                condition.put(opName, Boolean.FALSE);
            } else if ("None".equals(value) || "null".equals(value)) {
                condition.put(opName, null);
            } else {
                condition.put(opName, value);
            }
            res.putIfAbsent(field, condition);
        }
        return res;
    }

    /**
     * Where in the query a refused comparison is: vastai's message stays first, then the position (1-based) and
     * the text there, so a long query's culprit can be found.
     */
    private static String where(int index, String text) {
        return " (at character " + (index + 1) + ": " + Py.repr(text) + ")";
    }

    /**
     * {@code driver_version} with dots as an integer of three zero-padded parts: 535.86.05 → 535086005. Anything
     * else is reported and becomes None, which the blank check then refuses, as in vastai.
     */
    static Object numericVersion(String version, Consumer<String> warnings) {
        String[] parts = version.split("\\.", -1);
        if (parts.length == 3) {
            String digits = zfill(parts[0]) + zfill(parts[1]) + zfill(parts[2]);
            if (digits.matches("[+-]?\\d+(?:_\\d+)*")) {
                BigInteger n = new BigInteger(digits.replace("_", ""));
                return n.bitLength() < 63 ? (Object) n.longValue() : n;
            }
        }
        warnings.accept("Invalid version string format. Expected format: X.X.X");
        return null;
    }

    private static String zfill(String s) {
        if (s.length() >= 3) return s;
        boolean signed = !s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-');
        String pad = "0".repeat(3 - s.length());
        return signed ? s.charAt(0) + pad + s.substring(1) : pad + s;
    }

    /** Python truthiness of the value: None, "", [] and 0 are blank. */
    private static boolean blank(Object value) {
        return value == null
                || value instanceof String s && s.isEmpty()
                || value instanceof List<?> l && l.isEmpty()
                || value instanceof Number n && n.longValue() == 0 && !(n instanceof BigInteger b && b.signum() != 0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> conditionOf(Map<String, Object> res, String field) {
        Object existing = res.get(field);
        if (existing instanceof Map<?, ?> map) return (Map<String, Object>) map;
        if (existing != null)
            throw new QueryException(field + " is not a filter here (it is " + Py.repr(existing) + ")");
        Map<String, Object> fresh = new LinkedHashMap<>();
        res.put(field, fresh);
        return fresh;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> copy(Map<String, Object> body) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (body == null) return out;
        body.forEach((k, v) -> out.put(k, v instanceof Map<?, ?> m ? copy((Map<String, Object>) m) : v));
        return out;
    }
}
