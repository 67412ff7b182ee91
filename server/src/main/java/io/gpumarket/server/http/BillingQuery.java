package io.gpumarket.server.http;

import com.fasterxml.jackson.core.type.TypeReference;
import io.gpumarket.api.Wire;
import io.gpumarket.core.error.DomainException;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The query parameters of the billing lists, as the vastai CLI sends them: {@code select_filters} and
 * {@code order_by} as JSON in the query string, {@code limit}, {@code latest_first}, and the opaque
 * {@code after_token} a previous page's {@code next_token} gave.
 */
final class BillingQuery {
    static final int MAX_LIMIT = 500;
    static final int DEFAULT_LIMIT = 20;
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private static final TypeReference<List<Object>> LIST = new TypeReference<>() {};

    /** A time range in epoch seconds, both ends included. */
    record Range(Instant from, Instant to) {}

    private BillingQuery() {}

    /** {@code select_filters} as an object ({} when absent); malformed JSON is a 400. */
    static Map<String, Object> filters(Context ctx) {
        String raw = ctx.queryParam("select_filters");
        if (raw == null || raw.isBlank()) return Map.of();
        try {
            Map<String, Object> f = Json.read(raw, MAP, "query parameter select_filters");
            return f == null ? Map.of() : f;
        } catch (IOException e) {
            throw new DomainException.BadRequest("invalid_args", "select_filters must be a JSON object, got " + raw);
        }
    }

    /** The {gte, lte} range of a filter column in epoch seconds; empty when either end is missing or not a number. */
    static Optional<Range> range(Map<String, Object> filters, String column) {
        if (!(filters.get(column) instanceof Map<?, ?> ops)) return Optional.empty();
        Double gte = seconds(ops.get("gte"));
        Double lte = seconds(ops.get("lte"));
        if (gte == null || lte == null || lte < gte) return Optional.empty();
        return Optional.of(new Range(instant(gte), instant(lte)));
    }

    /** The last second both stores hold as a timestamp (9999-12-31T23:59:59Z); PostgreSQL refuses far beyond it. */
    static final long LAST_SECOND = 253_402_300_799L;

    /**
     * Epoch seconds as an instant, held to 1970 … 9999: nothing in the books lies outside, so a range's answer is
     * the same, and a bound like -9223372036854775808 no longer reaches the database (PostgreSQL refuses it).
     */
    static Instant instant(double epochSeconds) {
        return Instant.ofEpochMilli(Math.round(Math.min(Math.max(epochSeconds, 0), LAST_SECOND) * 1000));
    }

    /** Days since the epoch, held to 1970 … 9999 as {@link #instant} holds seconds. */
    static long day(double epochDays) {
        return (long) Math.floor(Math.min(Math.max(epochDays, 0), LAST_SECOND / 86_400));
    }

    /** The values of an {"in": [...]} or {"eq": v} filter; empty when the filter is absent. */
    static Optional<List<String>> values(Map<String, Object> filters, String column) {
        Object f = filters.get(column);
        if (f == null) return Optional.empty();
        if (f instanceof Map<?, ?> ops) {
            if (ops.get("in") instanceof List<?> in)
                return Optional.of(in.stream().map(String::valueOf).toList());
            if (ops.get("eq") != null) return Optional.of(List.of(String.valueOf(ops.get("eq"))));
        }
        if (f instanceof List<?> list)
            return Optional.of(list.stream().map(String::valueOf).toList());
        throw new DomainException.BadRequest(
                "invalid_args", "select_filters." + column + " must be {\"in\": [...]} or {\"eq\": value}, got " + f);
    }

    static int limit(Context ctx) {
        String raw = ctx.queryParam("limit");
        if (raw == null || raw.isBlank()) return DEFAULT_LIMIT;
        try {
            int limit = (int) Double.parseDouble(raw.strip());
            if (limit >= 1 && limit <= MAX_LIMIT) return limit;
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new DomainException.BadRequest(
                "invalid_args", "limit must be a whole number from 1 to " + MAX_LIMIT + ", got " + raw);
    }

    static boolean flag(Context ctx, String name) {
        String raw = ctx.queryParam(name);
        return raw != null && (raw.equalsIgnoreCase("true") || raw.equals("1"));
    }

    /** {@code order_by} as [{"col", "dir"}]: the first entry's column and whether it is descending; null when absent. */
    static Map.Entry<String, Boolean> orderBy(Context ctx) {
        String raw = ctx.queryParam("order_by");
        if (raw == null || raw.isBlank()) return null;
        try {
            List<Object> order = Json.read(raw, LIST, "query parameter order_by");
            if (order != null
                    && !order.isEmpty()
                    && order.get(0) instanceof Map<?, ?> first
                    && first.get("col") != null) {
                String dir = String.valueOf(first.get("dir") == null ? "asc" : first.get("dir"))
                        .toLowerCase(Locale.ROOT);
                if (dir.equals("asc") || dir.equals("desc"))
                    return Map.entry(String.valueOf(first.get("col")), dir.equals("desc"));
            }
        } catch (IOException malformed) {
            // answered below
        }
        throw new DomainException.BadRequest(
                "invalid_args", "order_by must be [{\"col\": name, \"dir\": \"asc\"|\"desc\"}], got " + raw);
    }

    /** A page token: the sort key of the last row shown, with the order it belongs to. */
    static String token(String order, List<Object> key) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("o", order);
        t.put("k", key);
        try {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(Wire.mapper().writeValueAsBytes(t));
        } catch (IOException e) {
            throw new IllegalStateException("a page token is not serialisable", e);
        }
    }

    /** The key to continue after; null for the first page. Tokens of another list or order are refused. */
    static List<Object> after(Context ctx, String order) {
        String raw = ctx.queryParam("after_token");
        if (raw == null || raw.isBlank()) raw = ctx.queryParam("next_token");
        if (raw == null || raw.isBlank()) return null;
        try {
            Map<String, Object> t = Json.read(Base64.getUrlDecoder().decode(raw.strip()), MAP, "page token");
            if (t != null && order.equals(t.get("o")) && t.get("k") instanceof List<?> key) return new ArrayList<>(key);
        } catch (IllegalArgumentException | IOException malformed) {
            // answered below
        }
        throw new DomainException.BadRequest("invalid_token", "Invalid pagination token");
    }

    private static Double seconds(Object v) {
        if (v instanceof Number n) return Double.isFinite(n.doubleValue()) ? n.doubleValue() : null;
        if (v instanceof String s) {
            try {
                double d = Double.parseDouble(s.strip());
                return Double.isFinite(d) ? d : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
