package io.gpumarket.server.http;

import io.gpumarket.core.error.DomainException;
import io.javalin.http.Context;
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
        throw new DomainException.BadRequest("invalid_args", "Invalid " + name + ": '" + raw + "' is not a positive integer");
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
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw wrongType(key, v, "a number");
            }
        }
        throw wrongType(key, v, "a number");
    }

    static boolean bool(Map<String, Object> body, String key, boolean fallback) {
        Object v = body.get(key);
        if (v == null) return fallback;
        if (v instanceof Boolean b) return b;
        throw wrongType(key, v, "true or false");
    }

    private static DomainException wrongType(String key, Object v, String expected) {
        return new DomainException.BadRequest("invalid_args", "'" + key + "' must be " + expected + ", got " + v);
    }
}
