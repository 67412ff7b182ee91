package io.gpumarket.core.serverless;

import io.gpumarket.core.error.DomainException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A worker group's {@code search_params} as the offer query its workers are rented by. vast-cli sends the query
 * language's text ({@code "gpu_ram>=8 verified=True rentable=True rented=False"}); Vast's SDK may send the JSON query
 * itself. Text is read as whitespace-separated comparisons {@code field op value} with the operators
 * {@code = == != > >= < <=}; {@code True}/{@code False} are booleans, numbers are numbers, anything else is text
 * ({@code _} for a space, as the CLI reads it). Fields are passed to the offer search as they are, which refuses
 * what it does not know.
 */
public final class SearchParams {
    private static final Pattern COMPARISON =
            Pattern.compile("([A-Za-z0-9_]+)\\s*(>=|<=|!=|==|=|>|<)\\s*(\"[^\"]*\"|\\S+)");
    private static final Map<String, String> OPERATORS =
            Map.of(">=", "gte", "<=", "lte", "!=", "neq", "==", "eq", "=", "eq", ">", "gt", "<", "lt");
    public static final int MAX_LENGTH = 4096;

    private SearchParams() {}

    /** The query as the offer search takes it: {@code {field: {op: value}}}. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parse(Object raw) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (raw == null) return out;
        if (raw instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), v));
            return out;
        }
        if (!(raw instanceof String text)) throw invalid("search_params must be text or an object");
        if (text.length() > MAX_LENGTH) throw invalid("search_params is longer than " + MAX_LENGTH + " characters");
        String rest = text.strip();
        Matcher m = COMPARISON.matcher(rest);
        int at = 0;
        while (at < rest.length()) {
            if (Character.isWhitespace(rest.charAt(at))) {
                at++;
                continue;
            }
            if (!m.find(at) || m.start() != at)
                throw invalid("search_params: cannot read '" + rest.substring(at) + "'");
            Map<String, Object> condition =
                    (Map<String, Object>) out.computeIfAbsent(m.group(1), f -> new LinkedHashMap<String, Object>());
            condition.put(OPERATORS.get(m.group(2)), value(m.group(3)));
            at = m.end();
        }
        return out;
    }

    /** The text form of a parsed query, for the lists (a JSON query is shown as sent). */
    public static String text(Object raw) {
        return raw == null ? "" : raw.toString();
    }

    private static Object value(String v) {
        if (v.equals("True") || v.equals("true")) return true;
        if (v.equals("False") || v.equals("false")) return false;
        if (v.startsWith("\"") && v.endsWith("\"") && v.length() >= 2) return v.substring(1, v.length() - 1);
        try {
            double d = Double.parseDouble(v);
            if (Double.isFinite(d)) return d == Math.rint(d) && Math.abs(d) < 1e15 ? (Object) (long) d : (Object) d;
        } catch (NumberFormatException notNumber) {
            // text
        }
        if (v.startsWith("[") && v.endsWith("]")) {
            return List.of(v.substring(1, v.length() - 1).split(",")).stream()
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .map(s -> s.replace('_', ' '))
                    .toList();
        }
        return v.replace('_', ' ');
    }

    private static DomainException invalid(String msg) {
        return new DomainException.BadRequest("invalid_args", msg);
    }
}
