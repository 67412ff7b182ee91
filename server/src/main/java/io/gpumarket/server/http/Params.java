package io.gpumarket.server.http;

import io.gpumarket.core.error.DomainException;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Typed reads of path parameters and body fields, refusing wrong types with the field named. */
final class Params {
    private Params() {}

    static long id(Context ctx, String name) {
        String raw = ctx.pathParam(name);
        try {
            long id = Long.parseLong(raw);
            if (id > 0) return id;
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new DomainException.BadRequest(
                "invalid_args", "Invalid " + name + ": '" + raw + "' is not a positive integer");
    }

    static String string(Map<String, Object> body, String key) {
        Object v = body.get(key);
        if (v == null) return null;
        if (v instanceof String s) return s;
        throw wrongType(key, v, "a string");
    }

    static Double number(Map<String, Object> body, String key) {
        Object v = body.get(key);
        if (v == null) return null;
        if (v instanceof Number n) return n.doubleValue();
        if (v instanceof String s) {
            double d;
            try {
                d = Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw wrongType(key, v, "a number");
            }
            // "NaN", "Infinity", "1e999" as text: the JSON screen sees only numbers, so text ones are refused here
            if (!Double.isFinite(d)) throw wrongType(key, v, "a finite number");
            return d;
        }
        throw wrongType(key, v, "a number");
    }

    static boolean bool(Map<String, Object> body, String key, boolean fallback) {
        Object v = body.get(key);
        if (v == null) return fallback;
        if (v instanceof Boolean b) return b;
        throw wrongType(key, v, "true or false");
    }

    /** A list of positive ids (numbers, or digits as strings); null when absent. */
    static List<Long> ids(Map<String, Object> body, String key) {
        Object v = body.get(key);
        if (v == null) return null;
        if (!(v instanceof List<?> list)) throw wrongType(key, v, "a list of ids");
        List<Long> ids = new ArrayList<>(list.size());
        for (Object o : list) {
            long id = positiveId(o);
            if (id <= 0) throw wrongType(key, v, "a list of positive integer ids");
            ids.add(id);
        }
        return ids;
    }

    /** One positive id (a number, or digits as a string); null when absent. */
    static Long id(Map<String, Object> body, String key) {
        Object v = body.get(key);
        if (v == null) return null;
        long id = positiveId(v);
        if (id <= 0) throw wrongType(key, v, "a positive integer id");
        return id;
    }

    /** The id a JSON value holds, or -1. */
    private static long positiveId(Object o) {
        // beyond a long, longValue() would wrap a huge integer into some other id
        if (o instanceof Number n
                && n.doubleValue() == Math.rint(n.doubleValue())
                && Math.abs(n.doubleValue()) < 9.2e18) {
            return n.longValue();
        }
        if (o instanceof String s && s.strip().matches("\\d{1,18}")) return Long.parseLong(s.strip());
        return -1;
    }

    /** A whole number, also as digits in a string ("1000", as the vastai CLI sends tail); null when absent. */
    static Integer integer(Map<String, Object> body, String key) {
        Double d = number(body, key);
        if (d == null) return null;
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) throw wrongType(key, body.get(key), "a whole number");
        return d.intValue();
    }

    /** A list of strings (numbers and booleans are taken as their text); null when absent. */
    static List<String> strings(Map<String, Object> body, String key) {
        Object v = body.get(key);
        if (v == null) return null;
        if (!(v instanceof List<?> list)) throw wrongType(key, v, "a list of strings");
        List<String> out = new ArrayList<>(list.size());
        for (Object o : list) {
            if (o == null || o instanceof Map<?, ?> || o instanceof List<?>)
                throw wrongType(key, v, "a list of strings");
            out.add(String.valueOf(o));
        }
        return out;
    }

    private static DomainException wrongType(String key, Object v, String expected) {
        return new DomainException.BadRequest("invalid_args", "'" + key + "' must be " + expected + ", got " + v);
    }
}
