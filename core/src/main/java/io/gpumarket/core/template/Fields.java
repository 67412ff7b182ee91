package io.gpumarket.core.template;

import io.gpumarket.core.error.DomainException;
import java.util.Map;

/** Typed reads of a template body's fields; a wrong type is refused naming the field. */
final class Fields {
    private Fields() {}

    static String string(Map<String, ?> body, String key, String fallback, int maxLength) {
        Object v = body.get(key);
        if (v == null) return fallback;
        if (!(v instanceof String s)) throw bad("'" + key + "' must be a string, got " + v);
        if (s.length() > maxLength) throw bad("'" + key + "' is longer than " + maxLength + " characters");
        return s;
    }

    static boolean bool(Map<String, ?> body, String key, boolean fallback) {
        Object v = body.get(key);
        if (v == null) return fallback;
        if (v instanceof Boolean b) return b;
        if ("true".equals(v) || "false".equals(v)) return Boolean.parseBoolean((String) v);
        throw bad("'" + key + "' must be true or false, got " + v);
    }

    /** A number, also as digits in a string (the vastai CLI sends recommended_disk_space as a string). */
    static double number(Map<String, ?> body, String key, double fallback) {
        Object v = body.get(key);
        if (v == null) return fallback;
        if (v instanceof Number n) return n.doubleValue();
        if (v instanceof String s && !s.isBlank()) {
            try {
                double d = Double.parseDouble(s.strip());
                if (Double.isFinite(d)) return d; // "Infinity" and "NaN" as text are no number a template keeps
            } catch (NumberFormatException ignored) {
                // answered below
            }
        }
        throw bad("'" + key + "' must be a number, got " + v);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Map<String, ?> body, String key, Map<String, Object> fallback) {
        Object v = body.get(key);
        if (v == null) return fallback;
        if (!(v instanceof Map<?, ?>)) throw bad("'" + key + "' must be an object, got " + v);
        return (Map<String, Object>) v;
    }

    static DomainException bad(String msg) {
        return new DomainException.BadRequest("invalid_args", msg);
    }
}
